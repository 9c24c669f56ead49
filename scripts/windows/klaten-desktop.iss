; Inno Setup 6.3+ script for Klaten Desktop: a per-user install that needs no administrator rights.
;
; Built by scripts\windows\release.ps1, which passes the version from klaten_desktop.__version__:
;   ISCC.exe /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 scripts\windows\klaten-desktop.iss
;
; Program files go to %LOCALAPPDATA%\Programs\KlatenDesktop. The office's data (database, backups, logs, keys)
; lives elsewhere, in %LOCALAPPDATA%\PemkabKlaten\KlatenDesktop (klaten_desktop/runtime/paths.py), and this
; script never names that folder: an upgrade replaces program files only, and uninstalling removes only the
; files this installer put in {app}. There is deliberately no [UninstallDelete] section.

#ifndef AppVersion
  #error Versi belum diberikan. Jalankan scripts\windows\release.ps1 (atau ISCC /DAppVersion=X.Y.Z ...).
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\KlatenDesktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist\installer"
#endif
#ifndef Compression
  ; The release setting. scripts/windows/installer.sh builds its throw-away upgrade-test installer with
  ; /DCompression=zip/1 so the check does not spend minutes compressing 144 MB twice.
  #define Compression "lzma2/max"
#endif
#define AppName "Klaten Desktop"
#define AppExe "KlatenDesktop.exe"

[Setup]
; The AppId identifies the product for upgrades and uninstall: never change it.
AppId={{0811350C-CFE3-4632-8C3D-CDF5F1584B28}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Pemerintah Kabupaten Klaten
AppCopyright=(c) 2026 Pemerintah Kabupaten Klaten
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoDescription=Penginstal {#AppName}
; Per user, without administrator rights (no UAC prompt).
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\KlatenDesktop
UsePreviousAppDir=yes
DisableDirPage=auto
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=KlatenDesktop-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\klaten-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression={#Compression}
SolidCompression=yes
; Compress in the 64-bit islzma64.exe with two LZMA2 threads: 73 s instead of 163 s under Wine on the 2-core CI
; machine, for a 0.6 % bigger installer (60 MB).
LZMAUseSeparateProcess=yes
LZMANumBlockThreads=2
WizardStyle=modern
ShowLanguageDialog=no
; The two set-ups (one PC, an office server), shown before installing; the choice itself is made in the app.
InfoBeforeFile=sebelum-memasang.txt
; Close a running Klaten Desktop before replacing its files; do not restart it for the user.
CloseApplications=yes
RestartApplications=no

[Languages]
; Inno Setup ships no Indonesian translation: Indonesian.isl beside this script is the project's own (every
; message of Default.isl, checked against it by scripts/windows/installer.sh). Default.isl comes first so that a
; message added by a newer Inno Setup shows in English instead of failing the build.
Name: "id"; MessagesFile: "compiler:Default.isl,Indonesian.isl"

[CustomMessages]
id.IkonTambahan=Ikon tambahan:
id.BuatIkonDesktop=Buat ikon Klaten Desktop di desktop
id.JalankanAplikasi=Buka Klaten Desktop sekarang

[Tasks]
Name: "desktopicon"; Description: "{cm:BuatIkonDesktop}"; GroupDescription: "{cm:IkonTambahan}"; Flags: unchecked

[InstallDelete]
; On upgrade, clear the previous version's bundled libraries so no stale module is loaded. Program files only.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:JalankanAplikasi}"; Flags: nowait postinstall skipifsilent
