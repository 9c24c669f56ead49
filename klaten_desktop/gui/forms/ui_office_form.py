# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'office_form.ui'
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
from PySide6.QtWidgets import (QApplication, QFormLayout, QGroupBox, QHBoxLayout,
    QLabel, QLineEdit, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

class Ui_OfficeForm(object):
    def setupUi(self, OfficeForm: QWidget) -> None:
        if not OfficeForm.objectName():
            OfficeForm.setObjectName(u"OfficeForm")
        OfficeForm.resize(900, 420)
        self.mainLayout = QHBoxLayout(OfficeForm)
        self.mainLayout.setObjectName(u"mainLayout")
        self.officeBox = QGroupBox(OfficeForm)
        self.officeBox.setObjectName(u"officeBox")
        self.officeBoxLayout = QFormLayout(self.officeBox)
        self.officeBoxLayout.setObjectName(u"officeBoxLayout")
        self.officeBoxLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.nameLabel = QLabel(self.officeBox)
        self.nameLabel.setObjectName(u"nameLabel")

        self.officeBoxLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.nameLabel)

        self.name = QLineEdit(self.officeBox)
        self.name.setObjectName(u"name")

        self.officeBoxLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.name)

        self.nameIssue = QLabel(self.officeBox)
        self.nameIssue.setObjectName(u"nameIssue")
        self.nameIssue.setWordWrap(True)
        self.nameIssue.setVisible(False)

        self.officeBoxLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.nameIssue)

        self.addressLabel = QLabel(self.officeBox)
        self.addressLabel.setObjectName(u"addressLabel")

        self.officeBoxLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.addressLabel)

        self.address = QLineEdit(self.officeBox)
        self.address.setObjectName(u"address")

        self.officeBoxLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.address)

        self.addressIssue = QLabel(self.officeBox)
        self.addressIssue.setObjectName(u"addressIssue")
        self.addressIssue.setWordWrap(True)
        self.addressIssue.setVisible(False)

        self.officeBoxLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.addressIssue)

        self.phoneLabel = QLabel(self.officeBox)
        self.phoneLabel.setObjectName(u"phoneLabel")

        self.officeBoxLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.phoneLabel)

        self.phone = QLineEdit(self.officeBox)
        self.phone.setObjectName(u"phone")

        self.officeBoxLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.phone)

        self.phoneIssue = QLabel(self.officeBox)
        self.phoneIssue.setObjectName(u"phoneIssue")
        self.phoneIssue.setWordWrap(True)
        self.phoneIssue.setVisible(False)

        self.officeBoxLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.phoneIssue)

        self.emailLabel = QLabel(self.officeBox)
        self.emailLabel.setObjectName(u"emailLabel")

        self.officeBoxLayout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.emailLabel)

        self.email = QLineEdit(self.officeBox)
        self.email.setObjectName(u"email")

        self.officeBoxLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.email)

        self.emailIssue = QLabel(self.officeBox)
        self.emailIssue.setObjectName(u"emailIssue")
        self.emailIssue.setWordWrap(True)
        self.emailIssue.setVisible(False)

        self.officeBoxLayout.setWidget(7, QFormLayout.ItemRole.FieldRole, self.emailIssue)

        self.camatNamaLabel = QLabel(self.officeBox)
        self.camatNamaLabel.setObjectName(u"camatNamaLabel")

        self.officeBoxLayout.setWidget(8, QFormLayout.ItemRole.LabelRole, self.camatNamaLabel)

        self.camatNama = QLineEdit(self.officeBox)
        self.camatNama.setObjectName(u"camatNama")

        self.officeBoxLayout.setWidget(8, QFormLayout.ItemRole.FieldRole, self.camatNama)

        self.camatNamaIssue = QLabel(self.officeBox)
        self.camatNamaIssue.setObjectName(u"camatNamaIssue")
        self.camatNamaIssue.setWordWrap(True)
        self.camatNamaIssue.setVisible(False)

        self.officeBoxLayout.setWidget(9, QFormLayout.ItemRole.FieldRole, self.camatNamaIssue)

        self.camatNipLabel = QLabel(self.officeBox)
        self.camatNipLabel.setObjectName(u"camatNipLabel")

        self.officeBoxLayout.setWidget(10, QFormLayout.ItemRole.LabelRole, self.camatNipLabel)

        self.camatNip = QLineEdit(self.officeBox)
        self.camatNip.setObjectName(u"camatNip")

        self.officeBoxLayout.setWidget(10, QFormLayout.ItemRole.FieldRole, self.camatNip)

        self.camatNipIssue = QLabel(self.officeBox)
        self.camatNipIssue.setObjectName(u"camatNipIssue")
        self.camatNipIssue.setWordWrap(True)
        self.camatNipIssue.setVisible(False)

        self.officeBoxLayout.setWidget(11, QFormLayout.ItemRole.FieldRole, self.camatNipIssue)

        self.camatPangkatLabel = QLabel(self.officeBox)
        self.camatPangkatLabel.setObjectName(u"camatPangkatLabel")

        self.officeBoxLayout.setWidget(12, QFormLayout.ItemRole.LabelRole, self.camatPangkatLabel)

        self.camatPangkat = QLineEdit(self.officeBox)
        self.camatPangkat.setObjectName(u"camatPangkat")

        self.officeBoxLayout.setWidget(12, QFormLayout.ItemRole.FieldRole, self.camatPangkat)

        self.camatPangkatIssue = QLabel(self.officeBox)
        self.camatPangkatIssue.setObjectName(u"camatPangkatIssue")
        self.camatPangkatIssue.setWordWrap(True)
        self.camatPangkatIssue.setVisible(False)

        self.officeBoxLayout.setWidget(13, QFormLayout.ItemRole.FieldRole, self.camatPangkatIssue)


        self.mainLayout.addWidget(self.officeBox)

        self.rightColumn = QVBoxLayout()
        self.rightColumn.setObjectName(u"rightColumn")
        self.bpjsBox = QGroupBox(OfficeForm)
        self.bpjsBox.setObjectName(u"bpjsBox")
        self.bpjsBoxLayout = QFormLayout(self.bpjsBox)
        self.bpjsBoxLayout.setObjectName(u"bpjsBoxLayout")
        self.bpjsBoxLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.bpjsBranchNameLabel = QLabel(self.bpjsBox)
        self.bpjsBranchNameLabel.setObjectName(u"bpjsBranchNameLabel")

        self.bpjsBoxLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.bpjsBranchNameLabel)

        self.bpjsBranchName = QLineEdit(self.bpjsBox)
        self.bpjsBranchName.setObjectName(u"bpjsBranchName")

        self.bpjsBoxLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.bpjsBranchName)

        self.bpjsBranchNameIssue = QLabel(self.bpjsBox)
        self.bpjsBranchNameIssue.setObjectName(u"bpjsBranchNameIssue")
        self.bpjsBranchNameIssue.setWordWrap(True)
        self.bpjsBranchNameIssue.setVisible(False)

        self.bpjsBoxLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.bpjsBranchNameIssue)

        self.bpjsBranchAddressLabel = QLabel(self.bpjsBox)
        self.bpjsBranchAddressLabel.setObjectName(u"bpjsBranchAddressLabel")

        self.bpjsBoxLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.bpjsBranchAddressLabel)

        self.bpjsBranchAddress = QLineEdit(self.bpjsBox)
        self.bpjsBranchAddress.setObjectName(u"bpjsBranchAddress")

        self.bpjsBoxLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.bpjsBranchAddress)

        self.bpjsBranchAddressIssue = QLabel(self.bpjsBox)
        self.bpjsBranchAddressIssue.setObjectName(u"bpjsBranchAddressIssue")
        self.bpjsBranchAddressIssue.setWordWrap(True)
        self.bpjsBranchAddressIssue.setVisible(False)

        self.bpjsBoxLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.bpjsBranchAddressIssue)

        self.bpjsBranchHeadLabel = QLabel(self.bpjsBox)
        self.bpjsBranchHeadLabel.setObjectName(u"bpjsBranchHeadLabel")

        self.bpjsBoxLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.bpjsBranchHeadLabel)

        self.bpjsBranchHead = QLineEdit(self.bpjsBox)
        self.bpjsBranchHead.setObjectName(u"bpjsBranchHead")

        self.bpjsBoxLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.bpjsBranchHead)

        self.bpjsBranchHeadIssue = QLabel(self.bpjsBox)
        self.bpjsBranchHeadIssue.setObjectName(u"bpjsBranchHeadIssue")
        self.bpjsBranchHeadIssue.setWordWrap(True)
        self.bpjsBranchHeadIssue.setVisible(False)

        self.bpjsBoxLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.bpjsBranchHeadIssue)


        self.rightColumn.addWidget(self.bpjsBox)

        self.rightSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.rightColumn.addItem(self.rightSpacer)


        self.mainLayout.addLayout(self.rightColumn)

#if QT_CONFIG(shortcut)
        self.nameLabel.setBuddy(self.name)
        self.addressLabel.setBuddy(self.address)
        self.phoneLabel.setBuddy(self.phone)
        self.emailLabel.setBuddy(self.email)
        self.camatNamaLabel.setBuddy(self.camatNama)
        self.camatNipLabel.setBuddy(self.camatNip)
        self.camatPangkatLabel.setBuddy(self.camatPangkat)
        self.bpjsBranchNameLabel.setBuddy(self.bpjsBranchName)
        self.bpjsBranchAddressLabel.setBuddy(self.bpjsBranchAddress)
        self.bpjsBranchHeadLabel.setBuddy(self.bpjsBranchHead)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(OfficeForm)

        QMetaObject.connectSlotsByName(OfficeForm)
    # setupUi

    def retranslateUi(self, OfficeForm: QWidget) -> None:
        self.officeBox.setTitle(QCoreApplication.translate("OfficeForm", u"Kantor dan penanda tangan surat", None))
        self.nameLabel.setText(QCoreApplication.translate("OfficeForm", u"&Nama kantor", None))
        self.name.setPlaceholderText(QCoreApplication.translate("OfficeForm", u"mis. Kantor Kecamatan Prambanan", None))
        self.nameIssue.setText("")
        self.addressLabel.setText(QCoreApplication.translate("OfficeForm", u"&Alamat kantor", None))
        self.addressIssue.setText("")
        self.phoneLabel.setText(QCoreApplication.translate("OfficeForm", u"T&elepon", None))
        self.phoneIssue.setText("")
        self.emailLabel.setText(QCoreApplication.translate("OfficeForm", u"&Surel", None))
        self.emailIssue.setText("")
        self.camatNamaLabel.setText(QCoreApplication.translate("OfficeForm", u"Nama &camat", None))
        self.camatNama.setPlaceholderText(QCoreApplication.translate("OfficeForm", u"Nama lengkap dengan gelar", None))
        self.camatNamaIssue.setText("")
        self.camatNipLabel.setText(QCoreApplication.translate("OfficeForm", u"N&IP camat", None))
        self.camatNip.setPlaceholderText(QCoreApplication.translate("OfficeForm", u"18 digit", None))
        self.camatNipIssue.setText("")
        self.camatPangkatLabel.setText(QCoreApplication.translate("OfficeForm", u"&Pangkat/golongan", None))
        self.camatPangkat.setPlaceholderText(QCoreApplication.translate("OfficeForm", u"mis. Pembina Tk. I (IV/b)", None))
        self.camatPangkatIssue.setText("")
        self.bpjsBox.setTitle(QCoreApplication.translate("OfficeForm", u"BPJS Ketenagakerjaan", None))
        self.bpjsBranchNameLabel.setText(QCoreApplication.translate("OfficeForm", u"Nama &kantor cabang", None))
        self.bpjsBranchName.setPlaceholderText(QCoreApplication.translate("OfficeForm", u"mis. BPJS Ketenagakerjaan Cabang Klaten", None))
        self.bpjsBranchNameIssue.setText("")
        self.bpjsBranchAddressLabel.setText(QCoreApplication.translate("OfficeForm", u"Ala&mat cabang", None))
        self.bpjsBranchAddressIssue.setText("")
        self.bpjsBranchHeadLabel.setText(QCoreApplication.translate("OfficeForm", u"Kepala caban&g", None))
        self.bpjsBranchHeadIssue.setText("")
        pass
    # retranslateUi

