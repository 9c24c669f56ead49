# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'official_form.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QComboBox, QFormLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSizePolicy, QSpacerItem, QSpinBox, QVBoxLayout,
    QWidget)

from klaten_desktop.gui.kit.date_field import DateField

class Ui_OfficialForm(object):
    def setupUi(self, OfficialForm: QWidget) -> None:
        if not OfficialForm.objectName():
            OfficialForm.setObjectName(u"OfficialForm")
        OfficialForm.resize(980, 560)
        self.mainLayout = QVBoxLayout(OfficialForm)
        self.mainLayout.setObjectName(u"mainLayout")
        self.replaceBox = QGroupBox(OfficialForm)
        self.replaceBox.setObjectName(u"replaceBox")
        self.replaceBoxLayout = QFormLayout(self.replaceBox)
        self.replaceBoxLayout.setObjectName(u"replaceBoxLayout")
        self.replaceInfo = QLabel(self.replaceBox)
        self.replaceInfo.setObjectName(u"replaceInfo")
        self.replaceInfo.setWordWrap(True)

        self.replaceBoxLayout.setWidget(0, QFormLayout.ItemRole.SpanningRole, self.replaceInfo)

        self.replaceDateLabel = QLabel(self.replaceBox)
        self.replaceDateLabel.setObjectName(u"replaceDateLabel")

        self.replaceBoxLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.replaceDateLabel)

        self.replaceDate = DateField(self.replaceBox)
        self.replaceDate.setObjectName(u"replaceDate")

        self.replaceBoxLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.replaceDate)

        self.replaceDateIssue = QLabel(self.replaceBox)
        self.replaceDateIssue.setObjectName(u"replaceDateIssue")
        self.replaceDateIssue.setWordWrap(True)
        self.replaceDateIssue.setVisible(False)

        self.replaceBoxLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.replaceDateIssue)


        self.mainLayout.addWidget(self.replaceBox)

        self.columns = QHBoxLayout()
        self.columns.setObjectName(u"columns")
        self.identityBox = QGroupBox(OfficialForm)
        self.identityBox.setObjectName(u"identityBox")
        self.identityBoxLayout = QFormLayout(self.identityBox)
        self.identityBoxLayout.setObjectName(u"identityBoxLayout")
        self.identityBoxLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.nikLabel = QLabel(self.identityBox)
        self.nikLabel.setObjectName(u"nikLabel")

        self.identityBoxLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.nikLabel)

        self.nik = QLineEdit(self.identityBox)
        self.nik.setObjectName(u"nik")
        self.nik.setMaxLength(24)

        self.identityBoxLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.nik)

        self.nikIssue = QLabel(self.identityBox)
        self.nikIssue.setObjectName(u"nikIssue")
        self.nikIssue.setWordWrap(True)
        self.nikIssue.setVisible(False)

        self.identityBoxLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.nikIssue)

        self.nikInfoLayout = QHBoxLayout()
        self.nikInfoLayout.setObjectName(u"nikInfoLayout")
        self.nikInfo = QLabel(self.identityBox)
        self.nikInfo.setObjectName(u"nikInfo")

        self.nikInfoLayout.addWidget(self.nikInfo)

        self.nikInfoSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.nikInfoLayout.addItem(self.nikInfoSpacer)

        self.useNikData = QPushButton(self.identityBox)
        self.useNikData.setObjectName(u"useNikData")
        self.useNikData.setEnabled(False)

        self.nikInfoLayout.addWidget(self.useNikData)


        self.identityBoxLayout.setLayout(2, QFormLayout.ItemRole.FieldRole, self.nikInfoLayout)

        self.namaLabel = QLabel(self.identityBox)
        self.namaLabel.setObjectName(u"namaLabel")

        self.identityBoxLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.namaLabel)

        self.nama = QLineEdit(self.identityBox)
        self.nama.setObjectName(u"nama")

        self.identityBoxLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.nama)

        self.namaIssue = QLabel(self.identityBox)
        self.namaIssue.setObjectName(u"namaIssue")
        self.namaIssue.setWordWrap(True)
        self.namaIssue.setVisible(False)

        self.identityBoxLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.namaIssue)

        self.tempatLahirLabel = QLabel(self.identityBox)
        self.tempatLahirLabel.setObjectName(u"tempatLahirLabel")

        self.identityBoxLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.tempatLahirLabel)

        self.tempatLahir = QLineEdit(self.identityBox)
        self.tempatLahir.setObjectName(u"tempatLahir")

        self.identityBoxLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.tempatLahir)

        self.tempatLahirIssue = QLabel(self.identityBox)
        self.tempatLahirIssue.setObjectName(u"tempatLahirIssue")
        self.tempatLahirIssue.setWordWrap(True)
        self.tempatLahirIssue.setVisible(False)

        self.identityBoxLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.tempatLahirIssue)

        self.tanggalLahirLabel = QLabel(self.identityBox)
        self.tanggalLahirLabel.setObjectName(u"tanggalLahirLabel")

        self.identityBoxLayout.setWidget(7, QFormLayout.ItemRole.LabelRole, self.tanggalLahirLabel)

        self.tanggalLahir = DateField(self.identityBox)
        self.tanggalLahir.setObjectName(u"tanggalLahir")

        self.identityBoxLayout.setWidget(7, QFormLayout.ItemRole.FieldRole, self.tanggalLahir)

        self.tanggalLahirIssue = QLabel(self.identityBox)
        self.tanggalLahirIssue.setObjectName(u"tanggalLahirIssue")
        self.tanggalLahirIssue.setWordWrap(True)
        self.tanggalLahirIssue.setVisible(False)

        self.identityBoxLayout.setWidget(8, QFormLayout.ItemRole.FieldRole, self.tanggalLahirIssue)

        self.jenisKelaminLabel = QLabel(self.identityBox)
        self.jenisKelaminLabel.setObjectName(u"jenisKelaminLabel")

        self.identityBoxLayout.setWidget(9, QFormLayout.ItemRole.LabelRole, self.jenisKelaminLabel)

        self.jenisKelamin = QComboBox(self.identityBox)
        self.jenisKelamin.setObjectName(u"jenisKelamin")

        self.identityBoxLayout.setWidget(9, QFormLayout.ItemRole.FieldRole, self.jenisKelamin)

        self.jenisKelaminIssue = QLabel(self.identityBox)
        self.jenisKelaminIssue.setObjectName(u"jenisKelaminIssue")
        self.jenisKelaminIssue.setWordWrap(True)
        self.jenisKelaminIssue.setVisible(False)

        self.identityBoxLayout.setWidget(10, QFormLayout.ItemRole.FieldRole, self.jenisKelaminIssue)

        self.alamatLabel = QLabel(self.identityBox)
        self.alamatLabel.setObjectName(u"alamatLabel")

        self.identityBoxLayout.setWidget(11, QFormLayout.ItemRole.LabelRole, self.alamatLabel)

        self.alamat = QLineEdit(self.identityBox)
        self.alamat.setObjectName(u"alamat")

        self.identityBoxLayout.setWidget(11, QFormLayout.ItemRole.FieldRole, self.alamat)

        self.alamatIssue = QLabel(self.identityBox)
        self.alamatIssue.setObjectName(u"alamatIssue")
        self.alamatIssue.setWordWrap(True)
        self.alamatIssue.setVisible(False)

        self.identityBoxLayout.setWidget(12, QFormLayout.ItemRole.FieldRole, self.alamatIssue)

        self.teleponLabel = QLabel(self.identityBox)
        self.teleponLabel.setObjectName(u"teleponLabel")

        self.identityBoxLayout.setWidget(13, QFormLayout.ItemRole.LabelRole, self.teleponLabel)

        self.telepon = QLineEdit(self.identityBox)
        self.telepon.setObjectName(u"telepon")

        self.identityBoxLayout.setWidget(13, QFormLayout.ItemRole.FieldRole, self.telepon)

        self.teleponIssue = QLabel(self.identityBox)
        self.teleponIssue.setObjectName(u"teleponIssue")
        self.teleponIssue.setWordWrap(True)
        self.teleponIssue.setVisible(False)

        self.identityBoxLayout.setWidget(14, QFormLayout.ItemRole.FieldRole, self.teleponIssue)

        self.emailLabel = QLabel(self.identityBox)
        self.emailLabel.setObjectName(u"emailLabel")

        self.identityBoxLayout.setWidget(15, QFormLayout.ItemRole.LabelRole, self.emailLabel)

        self.email = QLineEdit(self.identityBox)
        self.email.setObjectName(u"email")
        self.email.setMaxLength(254)

        self.identityBoxLayout.setWidget(15, QFormLayout.ItemRole.FieldRole, self.email)

        self.emailIssue = QLabel(self.identityBox)
        self.emailIssue.setObjectName(u"emailIssue")
        self.emailIssue.setWordWrap(True)
        self.emailIssue.setVisible(False)

        self.identityBoxLayout.setWidget(16, QFormLayout.ItemRole.FieldRole, self.emailIssue)

        self.namaIbuKandungLabel = QLabel(self.identityBox)
        self.namaIbuKandungLabel.setObjectName(u"namaIbuKandungLabel")

        self.identityBoxLayout.setWidget(17, QFormLayout.ItemRole.LabelRole, self.namaIbuKandungLabel)

        self.namaIbuKandung = QLineEdit(self.identityBox)
        self.namaIbuKandung.setObjectName(u"namaIbuKandung")

        self.identityBoxLayout.setWidget(17, QFormLayout.ItemRole.FieldRole, self.namaIbuKandung)

        self.namaIbuKandungIssue = QLabel(self.identityBox)
        self.namaIbuKandungIssue.setObjectName(u"namaIbuKandungIssue")
        self.namaIbuKandungIssue.setWordWrap(True)
        self.namaIbuKandungIssue.setVisible(False)

        self.identityBoxLayout.setWidget(18, QFormLayout.ItemRole.FieldRole, self.namaIbuKandungIssue)


        self.columns.addWidget(self.identityBox)

        self.postBox = QGroupBox(OfficialForm)
        self.postBox.setObjectName(u"postBox")
        self.postBoxLayout = QFormLayout(self.postBox)
        self.postBoxLayout.setObjectName(u"postBoxLayout")
        self.postBoxLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.desaLabel = QLabel(self.postBox)
        self.desaLabel.setObjectName(u"desaLabel")

        self.postBoxLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.desaLabel)

        self.desa = QComboBox(self.postBox)
        self.desa.setObjectName(u"desa")

        self.postBoxLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.desa)

        self.desaIssue = QLabel(self.postBox)
        self.desaIssue.setObjectName(u"desaIssue")
        self.desaIssue.setWordWrap(True)
        self.desaIssue.setVisible(False)

        self.postBoxLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.desaIssue)

        self.rwLabel = QLabel(self.postBox)
        self.rwLabel.setObjectName(u"rwLabel")

        self.postBoxLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.rwLabel)

        self.rw = QSpinBox(self.postBox)
        self.rw.setObjectName(u"rw")

        self.postBoxLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.rw)

        self.rwIssue = QLabel(self.postBox)
        self.rwIssue.setObjectName(u"rwIssue")
        self.rwIssue.setWordWrap(True)
        self.rwIssue.setVisible(False)

        self.postBoxLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.rwIssue)

        self.rtLabel = QLabel(self.postBox)
        self.rtLabel.setObjectName(u"rtLabel")

        self.postBoxLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.rtLabel)

        self.rt = QSpinBox(self.postBox)
        self.rt.setObjectName(u"rt")

        self.postBoxLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.rt)

        self.rtIssue = QLabel(self.postBox)
        self.rtIssue.setObjectName(u"rtIssue")
        self.rtIssue.setWordWrap(True)
        self.rtIssue.setVisible(False)

        self.postBoxLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.rtIssue)

        self.jabatanLabel = QLabel(self.postBox)
        self.jabatanLabel.setObjectName(u"jabatanLabel")

        self.postBoxLayout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.jabatanLabel)

        self.jabatan = QComboBox(self.postBox)
        self.jabatan.setObjectName(u"jabatan")

        self.postBoxLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.jabatan)

        self.jabatanIssue = QLabel(self.postBox)
        self.jabatanIssue.setObjectName(u"jabatanIssue")
        self.jabatanIssue.setWordWrap(True)
        self.jabatanIssue.setVisible(False)

        self.postBoxLayout.setWidget(7, QFormLayout.ItemRole.FieldRole, self.jabatanIssue)

        self.termStartLabel = QLabel(self.postBox)
        self.termStartLabel.setObjectName(u"termStartLabel")

        self.postBoxLayout.setWidget(8, QFormLayout.ItemRole.LabelRole, self.termStartLabel)

        self.termStart = DateField(self.postBox)
        self.termStart.setObjectName(u"termStart")

        self.postBoxLayout.setWidget(8, QFormLayout.ItemRole.FieldRole, self.termStart)

        self.termStartIssue = QLabel(self.postBox)
        self.termStartIssue.setObjectName(u"termStartIssue")
        self.termStartIssue.setWordWrap(True)
        self.termStartIssue.setVisible(False)

        self.postBoxLayout.setWidget(9, QFormLayout.ItemRole.FieldRole, self.termStartIssue)

        self.termEndLabel = QLabel(self.postBox)
        self.termEndLabel.setObjectName(u"termEndLabel")

        self.postBoxLayout.setWidget(10, QFormLayout.ItemRole.LabelRole, self.termEndLabel)

        self.termEnd = DateField(self.postBox)
        self.termEnd.setObjectName(u"termEnd")

        self.postBoxLayout.setWidget(10, QFormLayout.ItemRole.FieldRole, self.termEnd)

        self.termEndIssue = QLabel(self.postBox)
        self.termEndIssue.setObjectName(u"termEndIssue")
        self.termEndIssue.setWordWrap(True)
        self.termEndIssue.setVisible(False)

        self.postBoxLayout.setWidget(11, QFormLayout.ItemRole.FieldRole, self.termEndIssue)

        self.skNomorLabel = QLabel(self.postBox)
        self.skNomorLabel.setObjectName(u"skNomorLabel")

        self.postBoxLayout.setWidget(12, QFormLayout.ItemRole.LabelRole, self.skNomorLabel)

        self.skNomor = QLineEdit(self.postBox)
        self.skNomor.setObjectName(u"skNomor")

        self.postBoxLayout.setWidget(12, QFormLayout.ItemRole.FieldRole, self.skNomor)

        self.skNomorIssue = QLabel(self.postBox)
        self.skNomorIssue.setObjectName(u"skNomorIssue")
        self.skNomorIssue.setWordWrap(True)
        self.skNomorIssue.setVisible(False)

        self.postBoxLayout.setWidget(13, QFormLayout.ItemRole.FieldRole, self.skNomorIssue)

        self.skTanggalLabel = QLabel(self.postBox)
        self.skTanggalLabel.setObjectName(u"skTanggalLabel")

        self.postBoxLayout.setWidget(14, QFormLayout.ItemRole.LabelRole, self.skTanggalLabel)

        self.skTanggal = DateField(self.postBox)
        self.skTanggal.setObjectName(u"skTanggal")

        self.postBoxLayout.setWidget(14, QFormLayout.ItemRole.FieldRole, self.skTanggal)

        self.skTanggalIssue = QLabel(self.postBox)
        self.skTanggalIssue.setObjectName(u"skTanggalIssue")
        self.skTanggalIssue.setWordWrap(True)
        self.skTanggalIssue.setVisible(False)

        self.postBoxLayout.setWidget(15, QFormLayout.ItemRole.FieldRole, self.skTanggalIssue)


        self.columns.addWidget(self.postBox)


        self.mainLayout.addLayout(self.columns)

        self.summary = QLabel(OfficialForm)
        self.summary.setObjectName(u"summary")
        self.summary.setWordWrap(True)

        self.mainLayout.addWidget(self.summary)

        self.mainLayout.setStretch(1, 1)
#if QT_CONFIG(shortcut)
        self.replaceDateLabel.setBuddy(self.replaceDate)
        self.nikLabel.setBuddy(self.nik)
        self.namaLabel.setBuddy(self.nama)
        self.tempatLahirLabel.setBuddy(self.tempatLahir)
        self.tanggalLahirLabel.setBuddy(self.tanggalLahir)
        self.jenisKelaminLabel.setBuddy(self.jenisKelamin)
        self.alamatLabel.setBuddy(self.alamat)
        self.teleponLabel.setBuddy(self.telepon)
        self.emailLabel.setBuddy(self.email)
        self.namaIbuKandungLabel.setBuddy(self.namaIbuKandung)
        self.desaLabel.setBuddy(self.desa)
        self.rwLabel.setBuddy(self.rw)
        self.rtLabel.setBuddy(self.rt)
        self.jabatanLabel.setBuddy(self.jabatan)
        self.termStartLabel.setBuddy(self.termStart)
        self.termEndLabel.setBuddy(self.termEnd)
        self.skNomorLabel.setBuddy(self.skNomor)
        self.skTanggalLabel.setBuddy(self.skTanggal)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(OfficialForm)

        QMetaObject.connectSlotsByName(OfficialForm)
    # setupUi

    def retranslateUi(self, OfficialForm: QWidget) -> None:
        self.replaceBox.setTitle(QCoreApplication.translate("OfficialForm", u"Ganti pengurus", None))
        self.replaceInfo.setText("")
        self.replaceDateLabel.setText(QCoreApplication.translate("OfficialForm", u"Tanggal &penggantian", None))
        self.replaceDateIssue.setText("")
        self.identityBox.setTitle(QCoreApplication.translate("OfficialForm", u"Identitas (sesuai KTP)", None))
        self.nikLabel.setText(QCoreApplication.translate("OfficialForm", u"&NIK", None))
        self.nik.setPlaceholderText(QCoreApplication.translate("OfficialForm", u"16 digit sesuai KTP", None))
        self.nikIssue.setText("")
        self.nikInfo.setText("")
        self.useNikData.setText(QCoreApplication.translate("OfficialForm", u"Pa&kai data NIK", None))
        self.namaLabel.setText(QCoreApplication.translate("OfficialForm", u"Nam&a", None))
        self.nama.setPlaceholderText(QCoreApplication.translate("OfficialForm", u"Nama lengkap sesuai KTP", None))
        self.namaIssue.setText("")
        self.tempatLahirLabel.setText(QCoreApplication.translate("OfficialForm", u"&Tempat lahir", None))
        self.tempatLahirIssue.setText("")
        self.tanggalLahirLabel.setText(QCoreApplication.translate("OfficialForm", u"Tanggal &lahir", None))
        self.tanggalLahirIssue.setText("")
        self.jenisKelaminLabel.setText(QCoreApplication.translate("OfficialForm", u"&Jenis kelamin", None))
        self.jenisKelaminIssue.setText("")
        self.alamatLabel.setText(QCoreApplication.translate("OfficialForm", u"Ala&mat", None))
        self.alamatIssue.setText("")
        self.teleponLabel.setText(QCoreApplication.translate("OfficialForm", u"Tele&pon", None))
        self.telepon.setPlaceholderText(QCoreApplication.translate("OfficialForm", u"08\u2026", None))
        self.teleponIssue.setText("")
        self.emailLabel.setText(QCoreApplication.translate("OfficialForm", u"&Email", None))
        self.email.setPlaceholderText(QCoreApplication.translate("OfficialForm", u"tidak wajib", None))
        self.emailIssue.setText("")
        self.namaIbuKandungLabel.setText(QCoreApplication.translate("OfficialForm", u"Nama &ibu kandung", None))
        self.namaIbuKandung.setPlaceholderText(QCoreApplication.translate("OfficialForm", u"tidak wajib", None))
        self.namaIbuKandungIssue.setText("")
        self.postBox.setTitle(QCoreApplication.translate("OfficialForm", u"Kedudukan dan masa jabatan", None))
        self.desaLabel.setText(QCoreApplication.translate("OfficialForm", u"&Desa/kelurahan", None))
        self.desaIssue.setText("")
        self.rwLabel.setText(QCoreApplication.translate("OfficialForm", u"&RW", None))
        self.rwIssue.setText("")
        self.rtLabel.setText(QCoreApplication.translate("OfficialForm", u"R&T", None))
        self.rtIssue.setText("")
        self.jabatanLabel.setText(QCoreApplication.translate("OfficialForm", u"Ja&batan", None))
        self.jabatanIssue.setText("")
        self.termStartLabel.setText(QCoreApplication.translate("OfficialForm", u"Awal masa &jabatan", None))
        self.termStartIssue.setText("")
        self.termEndLabel.setText(QCoreApplication.translate("OfficialForm", u"Akhir masa jabatan", None))
        self.termEndIssue.setText("")
        self.skNomorLabel.setText(QCoreApplication.translate("OfficialForm", u"Nomor &SK", None))
        self.skNomor.setPlaceholderText(QCoreApplication.translate("OfficialForm", u"mis. 141/12/2025", None))
        self.skNomorIssue.setText("")
        self.skTanggalLabel.setText(QCoreApplication.translate("OfficialForm", u"Tanggal SK", None))
        self.skTanggalIssue.setText("")
        self.summary.setText("")
        pass
    # retranslateUi

