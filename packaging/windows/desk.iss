; Inno Setup 6 script: installs the one-folder build (dist\desk) for all users.
; Built by packaging\windows\build.ps1 with /DAppVersion=<version>.
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6C4E4B7A-2F5D-4F0C-9A51-3E2D1C7B8A90}
AppName=交管指挥桌面 desk
AppVersion={#AppVersion}
AppPublisher=desk
DefaultDirName={autopf}\desk
DefaultGroupName=交管指挥桌面
OutputDir=..\..\dist
OutputBaseFilename=desk-setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\..\resources\icons\desk.ico
UninstallDisplayIcon={app}\desk.exe

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\交管指挥桌面"; Filename: "{app}\desk.exe"
Name: "{group}\交管指挥桌面（演示城市）"; Filename: "{app}\desk.exe"; Parameters: "--demo"
Name: "{autodesktop}\交管指挥桌面"; Filename: "{app}\desk.exe"

[Run]
Filename: "{app}\desk.exe"; Parameters: "--self-test"; Flags: runhidden waituntilterminated; StatusMsg: "自检…"
