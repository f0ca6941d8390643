# Builds the frozen one-folder Windows bundle (dist\desk\ with desk.exe and desk-central.exe)
# and, when Inno Setup 6 is installed, the installer dist\desk-setup-<version>.exe.
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Not run in our CI (Linux only); kept in step with packaging/build.sh.
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root
if (-not (Test-Path .venv)) { py -3.11 -m venv .venv }
.venv\Scripts\python -m pip install -q -e ".[package]"
.venv\Scripts\python -m PyInstaller --noconfirm --clean --log-level WARN packaging\desk.spec
$size = (Get-ChildItem dist\desk -Recurse | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("desk bundle: dist\desk ({0:N0} MB)" -f $size)
$env:QT_QPA_PLATFORM = "offscreen"
& dist\desk\desk.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "self-test failed" }
& dist\desk\desk-central.exe --help | Out-Null
$iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
if (Test-Path $iscc) {
    $version = (.venv\Scripts\python -c "import desk; print(desk.__version__)")
    & $iscc "/DAppVersion=$version" packaging\windows\desk.iss
} else {
    Write-Host "Inno Setup 6 not found: skipping the installer (the folder dist\desk works as is)"
}
