<#
.SYNOPSIS
    Build the Windows release of Klaten Desktop: PyInstaller bundle, its self-test, then the Inno Setup installer.

.DESCRIPTION
    Run from anywhere on a Windows 10/11 x64 PC with Python 3.11 and Inno Setup 6 installed:

        powershell -ExecutionPolicy Bypass -File scripts\windows\release.ps1

    Steps (each must succeed before the next):
      1. scripts\dev.py test      the project's virtualenv from the pinned versions, and the full test suite
                                  (skip with -SkipTests when the same commit was just tested)
      2. scripts\build.py         PyInstaller on build.spec -> dist\KlatenDesktop, then
                                  dist\KlatenDesktop\klaten-desktop-cli.exe --self-test in a temporary folder,
                                  bundle size and start-up time
      3. ISCC.exe                 scripts\windows\klaten-desktop.iss -> dist\installer\KlatenDesktop-<versi>-setup.exe
      4. SHA-256 of the installer, written beside it

    The version comes from klaten_desktop\__init__.py (__version__), the single version source.
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$Iscc = "",
    [switch]$SkipTests,
    [switch]$Clean
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

function Invoke-Step([string]$Title, [scriptblock]$Body) {
    Write-Host ""
    Write-Host "== $Title ==" -ForegroundColor Cyan
    & $Body
    if ($LASTEXITCODE -ne 0) {
        throw "$Title gagal (kode keluar $LASTEXITCODE)."
    }
}

# 1. Python environment and tests.
if (-not $SkipTests) {
    Invoke-Step "Pasang dependensi dan jalankan tes" {
        if (Get-Command py -ErrorAction SilentlyContinue) {
            & py -3.11 scripts\dev.py test
        } else {
            & python scripts\dev.py test
        }
    }
}
if (-not $Python) {
    $Python = Join-Path $Root ".venv\Scripts\python.exe"
}
if (-not (Test-Path $Python)) {
    throw "Python lingkungan proyek tidak ditemukan: $Python. Jalankan dulu tanpa -SkipTests (scripts\dev.py test)."
}

# 2. Bundle and self-test.
$BuildArgs = @("scripts\build.py", "--report", "dist\build-report.json")
if ($Clean) { $BuildArgs += "--clean" }
Invoke-Step "Bangun bundel dan uji mandiri" { & $Python @BuildArgs }

$Version = (& $Python -c "import sys; sys.path.insert(0, '.'); import klaten_desktop; print(klaten_desktop.__version__)").Trim()
$Numeric = (& $Python -c "import sys; sys.path.insert(0, '.'); from klaten_desktop.version_info import version_tuple; print('.'.join(map(str, version_tuple())))").Trim()
Write-Host "Versi: $Version ($Numeric)"

# 3. Installer.
if (-not $Iscc) {
    $Candidates = @(
        (Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:ProgramFiles "Inno Setup 6\ISCC.exe"),
        (Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe")
    )
    $Iscc = $Candidates | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
    if (-not $Iscc) {
        $Command = Get-Command ISCC.exe -ErrorAction SilentlyContinue
        if ($Command) { $Iscc = $Command.Source }
    }
}
if (-not $Iscc) {
    throw "ISCC.exe (Inno Setup 6) tidak ditemukan. Pasang Inno Setup 6 atau berikan -Iscc <jalur ISCC.exe>."
}
Invoke-Step "Susun penginstal (Inno Setup)" {
    & $Iscc "/DAppVersion=$Version" "/DAppVersionNumeric=$Numeric" "scripts\windows\klaten-desktop.iss"
}

# 4. Checksum.
$Installer = Join-Path $Root "dist\installer\KlatenDesktop-$Version-setup.exe"
if (-not (Test-Path $Installer)) {
    throw "Penginstal tidak ditemukan: $Installer"
}
$Hash = (Get-FileHash -Algorithm SHA256 $Installer).Hash.ToLower()
"$Hash  KlatenDesktop-$Version-setup.exe" | Set-Content -Encoding ascii "$Installer.sha256"
$SizeMb = [math]::Round((Get-Item $Installer).Length / 1MB, 1)

Write-Host ""
Write-Host "Selesai." -ForegroundColor Green
Write-Host "  Penginstal : $Installer ($SizeMb MB)"
Write-Host "  SHA-256    : $Hash"
Write-Host "  Bundel     : $(Join-Path $Root 'dist\KlatenDesktop')"
Write-Host "Periksa juga daftar uji manual di docs\windows-build.md sebelum dibagikan ke kantor kecamatan."
