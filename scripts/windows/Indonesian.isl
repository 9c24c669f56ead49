; *** Inno Setup 6.4 messages in Bahasa Indonesia, for Klaten Desktop ***
;
; Inno Setup ships no Indonesian translation (neither the official installer nor npm's `innosetup` 6.4.1 has
; Languages\Indonesian.isl), so this project keeps its own. klaten-desktop.iss loads it after Default.isl
; ("compiler:Default.isl,Indonesian.isl"): a message added by a newer Inno Setup falls back to English instead of
; breaking the build, and scripts/windows/installer.sh fails when a message of Default.isl is missing here or
; its placeholders (%1, %n, [name] ...) differ. Keep this file ASCII (read without a BOM).
;
; As in Default.isl: do not add a period to a message that has none; Inno Setup adds it where needed.

[LangOptions]
LanguageName=Bahasa Indonesia
LanguageID=$0421
LanguageCodePage=0

[Messages]

; *** Application titles
SetupAppTitle=Penginstal
SetupWindowTitle=Penginstal - %1
UninstallAppTitle=Hapus Instalasi
UninstallAppFullTitle=Hapus Instalasi %1

; *** Misc. common
InformationTitle=Informasi
ConfirmTitle=Konfirmasi
ErrorTitle=Galat

; *** SetupLdr messages
SetupLdrStartupMessage=Program ini akan memasang %1. Lanjutkan?
LdrCannotCreateTemp=Tidak dapat membuat berkas sementara. Pemasangan dibatalkan
LdrCannotExecTemp=Tidak dapat menjalankan berkas di folder sementara. Pemasangan dibatalkan
HelpTextNote=

; *** Startup error messages
LastErrorMessage=%1.%n%nGalat %2: %3
SetupFileMissing=Berkas %1 tidak ada di folder instalasi. Perbaiki masalah ini atau minta salinan baru program ini.
SetupFileCorrupt=Berkas penginstal rusak. Minta salinan baru program ini.
SetupFileCorruptOrWrongVer=Berkas penginstal rusak atau tidak cocok dengan versi penginstal ini. Perbaiki masalah ini atau minta salinan baru program ini.
InvalidParameter=Parameter baris perintah tidak sah:%n%n%1
SetupAlreadyRunning=Penginstal sudah berjalan.
WindowsVersionNotSupported=Program ini tidak mendukung versi Windows di komputer Anda.
WindowsServicePackRequired=Program ini memerlukan %1 Service Pack %2 atau yang lebih baru.
NotOnThisPlatform=Program ini tidak dapat berjalan di %1.
OnlyOnThisPlatform=Program ini harus dijalankan di %1.
OnlyOnTheseArchitectures=Program ini hanya dapat dipasang pada Windows untuk arsitektur prosesor berikut:%n%n%1
WinVersionTooLowError=Program ini memerlukan %1 versi %2 atau yang lebih baru.
WinVersionTooHighError=Program ini tidak dapat dipasang pada %1 versi %2 atau yang lebih baru.
AdminPrivilegesRequired=Anda harus masuk sebagai administrator untuk memasang program ini.
PowerUserPrivilegesRequired=Anda harus masuk sebagai administrator atau anggota grup Power Users untuk memasang program ini.
SetupAppRunningError=Penginstal mendapati %1 sedang berjalan.%n%nTutup semua jendelanya sekarang, lalu klik OK untuk melanjutkan, atau Batal untuk keluar.
UninstallAppRunningError=Penghapus instalasi mendapati %1 sedang berjalan.%n%nTutup semua jendelanya sekarang, lalu klik OK untuk melanjutkan, atau Batal untuk keluar.

; *** Startup questions
PrivilegesRequiredOverrideTitle=Pilih Mode Pemasangan
PrivilegesRequiredOverrideInstruction=Pilih mode pemasangan
PrivilegesRequiredOverrideText1=%1 dapat dipasang untuk semua pengguna (perlu hak administrator) atau hanya untuk Anda.
PrivilegesRequiredOverrideText2=%1 dapat dipasang hanya untuk Anda atau untuk semua pengguna (perlu hak administrator).
PrivilegesRequiredOverrideAllUsers=Pasang untuk &semua pengguna
PrivilegesRequiredOverrideAllUsersRecommended=Pasang untuk &semua pengguna (disarankan)
PrivilegesRequiredOverrideCurrentUser=Pasang hanya untuk &saya
PrivilegesRequiredOverrideCurrentUserRecommended=Pasang hanya untuk &saya (disarankan)

; *** Misc. errors
ErrorCreatingDir=Penginstal tidak dapat membuat folder "%1"
ErrorTooManyFilesInDir=Tidak dapat membuat berkas di folder "%1" karena folder itu berisi terlalu banyak berkas

; *** Setup common messages
ExitSetupTitle=Keluar dari Penginstal
ExitSetupMessage=Pemasangan belum selesai. Jika Anda keluar sekarang, program tidak akan terpasang.%n%nAnda dapat menjalankan penginstal lagi lain waktu untuk menyelesaikan pemasangan.%n%nKeluar dari penginstal?
AboutSetupMenuItem=&Tentang Penginstal...
AboutSetupTitle=Tentang Penginstal
AboutSetupMessage=%1 versi %2%n%3%n%nSitus web %1:%n%4
AboutSetupNote=
TranslatorNote=Terjemahan Bahasa Indonesia: Klaten Desktop

; *** Buttons
ButtonBack=< &Kembali
ButtonNext=&Lanjut >
ButtonInstall=&Pasang
ButtonOK=OK
ButtonCancel=Batal
ButtonYes=&Ya
ButtonYesToAll=Ya untuk &Semua
ButtonNo=&Tidak
ButtonNoToAll=T&idak untuk Semua
ButtonFinish=&Selesai
ButtonBrowse=&Telusuri...
ButtonWizardBrowse=T&elusuri...
ButtonNewFolder=&Buat Folder Baru

; *** "Select Language" dialog messages
SelectLanguageTitle=Pilih Bahasa Penginstal
SelectLanguageLabel=Pilih bahasa yang dipakai selama pemasangan.

; *** Common wizard text
ClickNext=Klik Lanjut untuk meneruskan, atau Batal untuk keluar dari penginstal.
BeveledLabel=
BrowseDialogTitle=Telusuri Folder
BrowseDialogLabel=Pilih folder dari daftar di bawah, lalu klik OK.
NewFolderName=Folder Baru

; *** "Welcome" wizard page
WelcomeLabel1=Selamat Datang di Penginstal [name]
WelcomeLabel2=Penginstal ini akan memasang [name/ver] di komputer Anda.%n%nSebaiknya tutup semua aplikasi lain sebelum melanjutkan.

; *** "Password" wizard page
WizardPassword=Kata Sandi
PasswordLabel1=Pemasangan ini dilindungi kata sandi.
PasswordLabel3=Masukkan kata sandi, lalu klik Lanjut untuk meneruskan. Huruf besar dan kecil dibedakan.
PasswordEditLabel=&Kata sandi:
IncorrectPassword=Kata sandi yang Anda masukkan salah. Coba lagi.

; *** "License Agreement" wizard page
WizardLicense=Perjanjian Lisensi
LicenseLabel=Bacalah informasi penting berikut sebelum melanjutkan.
LicenseLabel3=Bacalah Perjanjian Lisensi berikut. Anda harus menyetujui isi perjanjian ini sebelum melanjutkan pemasangan.
LicenseAccepted=Saya &menyetujui perjanjian ini
LicenseNotAccepted=Saya &tidak menyetujui perjanjian ini

; *** "Information" wizard pages
WizardInfoBefore=Informasi
InfoBeforeLabel=Bacalah informasi penting berikut sebelum melanjutkan.
InfoBeforeClickLabel=Jika Anda siap melanjutkan pemasangan, klik Lanjut.
WizardInfoAfter=Informasi
InfoAfterLabel=Bacalah informasi penting berikut sebelum melanjutkan.
InfoAfterClickLabel=Jika Anda siap melanjutkan pemasangan, klik Lanjut.

; *** "User Information" wizard page
WizardUserInfo=Informasi Pengguna
UserInfoDesc=Masukkan data Anda.
UserInfoName=&Nama pengguna:
UserInfoOrg=&Organisasi:
UserInfoSerial=Nomor &seri:
UserInfoNameRequired=Nama wajib diisi.

; *** "Select Destination Location" wizard page
WizardSelectDir=Pilih Lokasi Tujuan
SelectDirDesc=Di mana [name] akan dipasang?
SelectDirLabel3=Penginstal akan memasang [name] di folder berikut.
SelectDirBrowseLabel=Untuk melanjutkan, klik Lanjut. Jika Anda ingin memilih folder lain, klik Telusuri.
DiskSpaceGBLabel=Diperlukan ruang kosong paling sedikit [gb] GB.
DiskSpaceMBLabel=Diperlukan ruang kosong paling sedikit [mb] MB.
CannotInstallToNetworkDrive=Penginstal tidak dapat memasang ke drive jaringan.
CannotInstallToUNCPath=Penginstal tidak dapat memasang ke jalur UNC.
InvalidPath=Masukkan jalur lengkap dengan huruf drive, misalnya:%n%nC:\APP%n%natau jalur UNC dengan bentuk:%n%n\\server\share
InvalidDrive=Drive atau share UNC yang Anda pilih tidak ada atau tidak dapat diakses. Pilih yang lain.
DiskSpaceWarningTitle=Ruang Disk Tidak Cukup
DiskSpaceWarning=Penginstal memerlukan ruang kosong paling sedikit %1 KB, tetapi drive yang dipilih hanya memiliki %2 KB.%n%nTetap lanjutkan?
DirNameTooLong=Nama folder atau jalurnya terlalu panjang.
InvalidDirName=Nama folder tidak sah.
BadDirName32=Nama folder tidak boleh memuat karakter berikut:%n%n%1
DirExistsTitle=Folder Sudah Ada
DirExists=Folder:%n%n%1%n%nsudah ada. Tetap pasang di folder itu?
DirDoesntExistTitle=Folder Tidak Ada
DirDoesntExist=Folder:%n%n%1%n%ntidak ada. Buat folder tersebut?

; *** "Select Components" wizard page
WizardSelectComponents=Pilih Komponen
SelectComponentsDesc=Komponen mana yang akan dipasang?
SelectComponentsLabel2=Centang komponen yang ingin Anda pasang dan hapus centang komponen yang tidak ingin dipasang. Klik Lanjut jika Anda siap melanjutkan.
FullInstallation=Pemasangan lengkap
CompactInstallation=Pemasangan ringkas
CustomInstallation=Pemasangan pilihan
NoUninstallWarningTitle=Komponen Sudah Ada
NoUninstallWarning=Penginstal mendapati komponen berikut sudah terpasang di komputer Anda:%n%n%1%n%nMenghapus centang komponen tersebut tidak akan menghapus instalasinya.%n%nTetap lanjutkan?
ComponentSize1=%1 KB
ComponentSize2=%1 MB
ComponentsDiskSpaceGBLabel=Pilihan ini memerlukan ruang disk paling sedikit [gb] GB.
ComponentsDiskSpaceMBLabel=Pilihan ini memerlukan ruang disk paling sedikit [mb] MB.

; *** "Select Additional Tasks" wizard page
WizardSelectTasks=Pilih Tugas Tambahan
SelectTasksDesc=Tugas tambahan apa yang akan dijalankan?
SelectTasksLabel2=Pilih tugas tambahan yang akan dijalankan penginstal saat memasang [name], lalu klik Lanjut.

; *** "Select Start Menu Folder" wizard page
WizardSelectProgramGroup=Pilih Folder Menu Start
SelectStartMenuFolderDesc=Di mana penginstal akan menaruh pintasan program?
SelectStartMenuFolderLabel3=Penginstal akan membuat pintasan program di folder Menu Start berikut.
SelectStartMenuFolderBrowseLabel=Untuk melanjutkan, klik Lanjut. Jika Anda ingin memilih folder lain, klik Telusuri.
MustEnterGroupName=Nama folder wajib diisi.
GroupNameTooLong=Nama folder atau jalurnya terlalu panjang.
InvalidGroupName=Nama folder tidak sah.
BadGroupName=Nama folder tidak boleh memuat karakter berikut:%n%n%1
NoProgramGroupCheck2=&Jangan buat folder Menu Start

; *** "Ready to Install" wizard page
WizardReady=Siap Memasang
ReadyLabel1=Penginstal siap memasang [name] di komputer Anda.
ReadyLabel2a=Klik Pasang untuk melanjutkan pemasangan, atau klik Kembali jika Anda ingin memeriksa atau mengubah pengaturan.
ReadyLabel2b=Klik Pasang untuk melanjutkan pemasangan.
ReadyMemoUserInfo=Informasi pengguna:
ReadyMemoDir=Lokasi tujuan:
ReadyMemoType=Jenis pemasangan:
ReadyMemoComponents=Komponen terpilih:
ReadyMemoGroup=Folder Menu Start:
ReadyMemoTasks=Tugas tambahan:

; *** TDownloadWizardPage wizard page and DownloadTemporaryFile
DownloadingLabel=Mengunduh berkas tambahan...
ButtonStopDownload=&Hentikan unduhan
StopDownload=Yakin ingin menghentikan unduhan?
ErrorDownloadAborted=Unduhan dibatalkan
ErrorDownloadFailed=Unduhan gagal: %1 %2
ErrorDownloadSizeFailed=Gagal mengambil ukuran: %1 %2
ErrorFileHash1=Gagal menghitung hash berkas: %1
ErrorFileHash2=Hash berkas tidak cocok: seharusnya %1, ternyata %2
ErrorProgress=Kemajuan tidak sah: %1 dari %2
ErrorFileSize=Ukuran berkas tidak cocok: seharusnya %1, ternyata %2

; *** TExtractionWizardPage wizard page and Extract7ZipArchive
ExtractionLabel=Mengekstrak berkas tambahan...
ButtonStopExtraction=&Hentikan ekstraksi
StopExtraction=Yakin ingin menghentikan ekstraksi?
ErrorExtractionAborted=Ekstraksi dibatalkan
ErrorExtractionFailed=Ekstraksi gagal: %1

; *** "Preparing to Install" wizard page
WizardPreparing=Bersiap Memasang
PreparingDesc=Penginstal sedang bersiap memasang [name] di komputer Anda.
PreviousInstallNotCompleted=Pemasangan atau penghapusan program sebelumnya belum selesai. Anda perlu memulai ulang komputer untuk menyelesaikannya.%n%nSetelah komputer dimulai ulang, jalankan penginstal lagi untuk menyelesaikan pemasangan [name].
CannotContinue=Penginstal tidak dapat melanjutkan. Klik Batal untuk keluar.
ApplicationsFound=Aplikasi berikut sedang memakai berkas yang perlu diperbarui oleh penginstal. Sebaiknya izinkan penginstal menutup aplikasi tersebut secara otomatis.
ApplicationsFound2=Aplikasi berikut sedang memakai berkas yang perlu diperbarui oleh penginstal. Sebaiknya izinkan penginstal menutup aplikasi tersebut secara otomatis. Setelah pemasangan selesai, penginstal akan mencoba menjalankan aplikasi itu kembali.
CloseApplications=&Tutup aplikasi secara otomatis
DontCloseApplications=&Jangan tutup aplikasi
ErrorCloseApplications=Penginstal tidak dapat menutup semua aplikasi secara otomatis. Sebaiknya tutup dulu semua aplikasi yang memakai berkas yang perlu diperbarui oleh penginstal sebelum melanjutkan.
PrepareToInstallNeedsRestart=Penginstal harus memulai ulang komputer Anda. Setelah komputer dimulai ulang, jalankan penginstal lagi untuk menyelesaikan pemasangan [name].%n%nMulai ulang sekarang?

; *** "Installing" wizard page
WizardInstalling=Memasang
InstallingLabel=Harap tunggu, penginstal sedang memasang [name] di komputer Anda.

; *** "Setup Completed" wizard page
FinishedHeadingLabel=Menyelesaikan Penginstal [name]
FinishedLabelNoIcons=Penginstal telah selesai memasang [name] di komputer Anda.
FinishedLabel=Penginstal telah selesai memasang [name] di komputer Anda. Aplikasi dapat dibuka melalui pintasan yang telah dipasang.
ClickFinish=Klik Selesai untuk keluar dari penginstal.
FinishedRestartLabel=Untuk menyelesaikan pemasangan [name], penginstal harus memulai ulang komputer Anda. Mulai ulang sekarang?
FinishedRestartMessage=Untuk menyelesaikan pemasangan [name], penginstal harus memulai ulang komputer Anda.%n%nMulai ulang sekarang?
ShowReadmeCheck=Ya, saya ingin membaca berkas README
YesRadio=&Ya, mulai ulang komputer sekarang
NoRadio=&Tidak, saya akan memulai ulang komputer nanti
RunEntryExec=Jalankan %1
RunEntryShellExec=Lihat %1

; *** "Setup Needs the Next Disk" stuff
ChangeDiskTitle=Penginstal Memerlukan Disk Berikutnya
SelectDiskLabel2=Masukkan Disk %1 lalu klik OK.%n%nJika berkas pada disk ini ada di folder selain yang ditampilkan di bawah, masukkan jalur yang benar atau klik Telusuri.
PathLabel=&Jalur:
FileNotInDir2=Berkas "%1" tidak ditemukan di "%2". Masukkan disk yang benar atau pilih folder lain.
SelectDirectoryLabel=Tentukan lokasi disk berikutnya.

; *** Installation phase messages
SetupAborted=Pemasangan tidak selesai.%n%nPerbaiki masalahnya, lalu jalankan penginstal lagi.
AbortRetryIgnoreSelectAction=Pilih tindakan
AbortRetryIgnoreRetry=&Coba lagi
AbortRetryIgnoreIgnore=&Abaikan galat dan lanjutkan
AbortRetryIgnoreCancel=Batalkan pemasangan

; *** Installation status messages
StatusClosingApplications=Menutup aplikasi...
StatusCreateDirs=Membuat folder...
StatusExtractFiles=Mengekstrak berkas...
StatusCreateIcons=Membuat pintasan...
StatusCreateIniEntries=Membuat entri INI...
StatusCreateRegistryEntries=Membuat entri registri...
StatusRegisterFiles=Mendaftarkan berkas...
StatusSavingUninstall=Menyimpan informasi penghapusan instalasi...
StatusRunProgram=Menyelesaikan pemasangan...
StatusRestartingApplications=Menjalankan ulang aplikasi...
StatusRollback=Membatalkan perubahan...

; *** Misc. errors
ErrorInternal2=Galat internal: %1
ErrorFunctionFailedNoCode=%1 gagal
ErrorFunctionFailed=%1 gagal; kode %2
ErrorFunctionFailedWithMessage=%1 gagal; kode %2.%n%3
ErrorExecutingProgram=Tidak dapat menjalankan berkas:%n%1

; *** Registry errors
ErrorRegOpenKey=Galat saat membuka kunci registri:%n%1\%2
ErrorRegCreateKey=Galat saat membuat kunci registri:%n%1\%2
ErrorRegWriteKey=Galat saat menulis ke kunci registri:%n%1\%2

; *** INI errors
ErrorIniEntry=Galat saat membuat entri INI di berkas "%1".

; *** File copying errors
FileAbortRetryIgnoreSkipNotRecommended=&Lewati berkas ini (tidak disarankan)
FileAbortRetryIgnoreIgnoreNotRecommended=&Abaikan galat dan lanjutkan (tidak disarankan)
SourceIsCorrupted=Berkas sumber rusak
SourceDoesntExist=Berkas sumber "%1" tidak ada
ExistingFileReadOnly2=Berkas yang ada tidak dapat diganti karena bertanda hanya-baca.
ExistingFileReadOnlyRetry=&Hapus tanda hanya-baca dan coba lagi
ExistingFileReadOnlyKeepExisting=&Pertahankan berkas yang ada
ErrorReadingExistingDest=Terjadi galat saat membaca berkas yang ada:
FileExistsSelectAction=Pilih tindakan
FileExists2=Berkas sudah ada.
FileExistsOverwriteExisting=&Timpa berkas yang ada
FileExistsKeepExisting=&Pertahankan berkas yang ada
FileExistsOverwriteOrKeepAll=&Lakukan ini untuk konflik berikutnya
ExistingFileNewerSelectAction=Pilih tindakan
ExistingFileNewer2=Berkas yang ada lebih baru daripada berkas yang akan dipasang penginstal.
ExistingFileNewerOverwriteExisting=&Timpa berkas yang ada
ExistingFileNewerKeepExisting=&Pertahankan berkas yang ada (disarankan)
ExistingFileNewerOverwriteOrKeepAll=&Lakukan ini untuk konflik berikutnya
ErrorChangingAttr=Terjadi galat saat mengubah atribut berkas yang ada:
ErrorCreatingTemp=Terjadi galat saat membuat berkas di folder tujuan:
ErrorReadingSource=Terjadi galat saat membaca berkas sumber:
ErrorCopying=Terjadi galat saat menyalin berkas:
ErrorReplacingExistingFile=Terjadi galat saat mengganti berkas yang ada:
ErrorRestartReplace=RestartReplace gagal:
ErrorRenamingTemp=Terjadi galat saat mengganti nama berkas di folder tujuan:
ErrorRegisterServer=Tidak dapat mendaftarkan DLL/OCX: %1
ErrorRegSvr32Failed=RegSvr32 gagal dengan kode keluar %1
ErrorRegisterTypeLib=Tidak dapat mendaftarkan pustaka tipe: %1

; *** Uninstall display name markings
UninstallDisplayNameMark=%1 (%2)
UninstallDisplayNameMarks=%1 (%2, %3)
UninstallDisplayNameMark32Bit=32-bit
UninstallDisplayNameMark64Bit=64-bit
UninstallDisplayNameMarkAllUsers=Semua pengguna
UninstallDisplayNameMarkCurrentUser=Pengguna ini

; *** Post-installation errors
ErrorOpeningReadme=Terjadi galat saat membuka berkas README.
ErrorRestartingComputer=Penginstal tidak dapat memulai ulang komputer. Lakukan secara manual.

; *** Uninstaller messages
UninstallNotFound=Berkas "%1" tidak ada. Instalasi tidak dapat dihapus.
UninstallOpenError=Berkas "%1" tidak dapat dibuka. Instalasi tidak dapat dihapus
UninstallUnsupportedVer=Format berkas log penghapusan instalasi "%1" tidak dikenali oleh versi penghapus instalasi ini. Instalasi tidak dapat dihapus
UninstallUnknownEntry=Ditemukan entri tak dikenal (%1) di log penghapusan instalasi
ConfirmUninstall=Yakin ingin menghapus %1 beserta semua komponennya?
UninstallOnlyOnWin64=Instalasi ini hanya dapat dihapus di Windows 64-bit.
OnlyAdminCanUninstall=Instalasi ini hanya dapat dihapus oleh pengguna dengan hak administrator.
UninstallStatusLabel=Harap tunggu, %1 sedang dihapus dari komputer Anda.
UninstalledAll=%1 berhasil dihapus dari komputer Anda.
UninstalledMost=Penghapusan %1 selesai.%n%nBeberapa bagian tidak dapat dihapus dan dapat Anda hapus sendiri.
UninstalledAndNeedsRestart=Untuk menyelesaikan penghapusan %1, komputer Anda harus dimulai ulang.%n%nMulai ulang sekarang?
UninstallDataCorrupted=Berkas "%1" rusak. Instalasi tidak dapat dihapus

; *** Uninstallation phase messages
ConfirmDeleteSharedFileTitle=Hapus Berkas Bersama?
ConfirmDeleteSharedFile2=Sistem menunjukkan bahwa berkas bersama berikut tidak lagi dipakai program mana pun. Hapus berkas bersama ini?%n%nJika masih ada program yang memakai berkas ini lalu berkas ini dihapus, program tersebut mungkin tidak berfungsi dengan benar. Jika ragu, pilih Tidak. Membiarkan berkas ini di sistem tidak akan menimbulkan masalah.
SharedFileNameLabel=Nama berkas:
SharedFileLocationLabel=Lokasi:
WizardUninstalling=Status Penghapusan Instalasi
StatusUninstalling=Menghapus %1...

; *** Shutdown block reasons
ShutdownBlockReasonInstallingApp=Memasang %1.
ShutdownBlockReasonUninstallingApp=Menghapus %1.

[CustomMessages]

NameAndVersion=%1 versi %2
AdditionalIcons=Pintasan tambahan:
CreateDesktopIcon=Buat pintasan di &desktop
CreateQuickLaunchIcon=Buat pintasan &Quick Launch
ProgramOnTheWeb=%1 di Web
UninstallProgram=Hapus instalasi %1
LaunchProgram=Jalankan %1
AssocFileExtension=&Kaitkan %1 dengan ekstensi berkas %2
AssocingFileExtension=Mengaitkan %1 dengan ekstensi berkas %2...
AutoStartProgramGroupDescription=Mulai otomatis:
AutoStartProgram=Jalankan %1 secara otomatis
AddonHostProgramNotFound=%1 tidak ditemukan di folder yang Anda pilih.%n%nTetap lanjutkan?
