<#
.SYNOPSIS
Builds the Windows installer of OCOP Council (NSIS, per user, WebView2's offline installer inside)
and the `ocop` command line.

.DESCRIPTION
Run it on a Windows machine with the Rust MSVC toolchain and Node.js (see README.md, "Windows"):

    powershell -ExecutionPolicy Bypass -File scripts\package.ps1

It
  1. checks the tools: Rust >= 1.88 with an *-pc-windows-msvc host, Node.js >= 20.19 and npm;
  2. installs the Tauri CLI (`cargo install tauri-cli --version ^2.11 --locked`) when it is missing
     or older than 2.11, the first release with the installer's Vietnamese texts (as
     scripts/setup.sh installs tauri-driver);
  3. installs the UI's npm packages (`npm ci`, skipped when up to date) and builds the UI
     (`npm run build`, into ui\dist, which the app embeds, and so does `ocop.exe`: the member
     page of the council room);
  4. builds `ocop.exe` (release, for the host triple, the C runtime linked statically so that it
     needs no Visual C++ redistributable: the Tauri CLI does the same for the app);
  5. runs `cargo tauri build --bundles nsis` with `ocop.exe` as an external binary, so the
     installer puts it beside the app.

What it leaves in target\windows\ (or $env:CARGO_TARGET_DIR\windows\):
  OCOP Council_<version>_x64-setup.exe   the installer to copy to the office's machines
  ocop.exe                               the command line alone, for machines without the app

The installer installs for the current user, without administrator rights, into
%LOCALAPPDATA%\OCOP Council\ (ocop-council.exe, ocop.exe, uninstall.exe); the data stay in
%APPDATA%\vn.ocop.council\. The first build downloads NSIS and WebView2's offline installer
(well over 100 MB) into Tauri's cache (%LOCALAPPDATA%\tauri\); the office's machines need no internet.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$root = Split-Path -Parent $PSScriptRoot
Set-Location $root

# Runs a program and stops the script when it fails (a native program's exit code does not stop
# PowerShell by itself).
function Invoke-Tool([string]$Exe, [string[]]$Arguments) {
  Write-Host "> $Exe $($Arguments -join ' ')"
  & $Exe @Arguments
  if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed (exit code $LASTEXITCODE)" }
}

function Get-Version([string]$Text) {
  if ($Text -match '(\d+)\.(\d+)\.(\d+)') {
    return [version]"$($Matches[1]).$($Matches[2]).$($Matches[3])"
  }
  return $null
}

function Assert-Command([string]$Name, [string]$Hint) {
  if (-not (Get-Command $Name -ErrorAction SilentlyContinue)) { throw "$Name not found: $Hint" }
}

Write-Host '== checking the tools'
Assert-Command cargo 'install Rust with rustup (https://rustup.rs), the default MSVC toolchain'
Assert-Command node 'install Node.js 20.19 or newer (https://nodejs.org)'
Assert-Command npm 'npm comes with Node.js'

$rustc = & rustc -vV
if ($LASTEXITCODE -ne 0) { throw 'rustc -vV failed' }
$hostTriple = (($rustc | Where-Object { $_ -like 'host: *' }) -replace '^host: ', '').Trim()
$rustVersion = Get-Version (($rustc | Where-Object { $_ -like 'release: *' }) -join '')
if ($hostTriple -notlike '*-pc-windows-msvc') {
  throw "Rust's host is '$hostTriple'; the MSVC toolchain is needed: rustup default stable-msvc"
}
if (-not $rustVersion -or $rustVersion -lt [version]'1.88.0') {
  throw "Rust $rustVersion is too old: 1.88 or newer is needed (rustup update)"
}
$nodeVersion = Get-Version (& node --version)
if (-not $nodeVersion -or $nodeVersion -lt [version]'20.19.0') {
  throw "Node.js $nodeVersion is too old: 20.19 or newer is needed"
}
Write-Host "Rust $rustVersion ($hostTriple), Node.js $nodeVersion"

$tauriVersion = $null
if (Get-Command cargo-tauri -ErrorAction SilentlyContinue) {
  $tauriVersion = Get-Version ((& cargo tauri --version) -join '')
}
if (-not $tauriVersion -or $tauriVersion -lt [version]'2.11.0') {
  Write-Host '== cargo install tauri-cli'
  Invoke-Tool cargo @('install', 'tauri-cli', '--locked', '--version', '^2.11')
}

$targetDir = Join-Path $root 'target'
if ($env:CARGO_TARGET_DIR) {
  $targetDir = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($root, $env:CARGO_TARGET_DIR))
}
$out = Join-Path $targetDir 'windows'
$binDir = Join-Path $out 'bin'
New-Item -ItemType Directory -Force -Path $binDir | Out-Null

Write-Host '== UI: npm ci, npm run build'
Push-Location (Join-Path $root 'ui')
try {
  $installed = 'node_modules\.package-lock.json'
  if (-not (Test-Path $installed) -or
      (Get-Item 'package-lock.json').LastWriteTime -gt (Get-Item $installed).LastWriteTime) {
    Invoke-Tool npm @('ci', '--no-audit', '--no-fund')
  }
  Invoke-Tool npm @('run', 'build')
} finally {
  Pop-Location
}

Write-Host '== the ocop command line'
# For the host triple explicitly, so that the flag reaches ocop and its libraries but not the build
# scripts, and so that this build has its own folder (target\<triple>\release) and never makes the
# app's build below start again.
$savedFlags = $env:RUSTFLAGS
try {
  $env:RUSTFLAGS = (@($savedFlags, '-C target-feature=+crt-static') | Where-Object { $_ }) -join ' '
  Invoke-Tool cargo @('build', '--release', '--locked', '-p', 'ocop-cli', '--target', $hostTriple)
} finally {
  $env:RUSTFLAGS = $savedFlags
}
$cli = Join-Path $targetDir "$hostTriple\release\ocop.exe"
if (-not (Test-Path $cli)) { throw "the build made no $cli" }
Copy-Item $cli (Join-Path $out 'ocop.exe') -Force
# An external binary is named after the target triple; the installer drops the suffix.
Copy-Item $cli (Join-Path $binDir "ocop-$hostTriple.exe") -Force

Write-Host '== the app and its installer: cargo tauri build --bundles nsis'
# Merged over src-tauri\tauri.conf.json for this build only (a plain `cargo build` of the app,
# as scripts\run.sh does, needs no ocop.exe beforehand). Written without a byte order mark.
$sidecar = (Join-Path $binDir 'ocop') -replace '\\', '/'
$extraConfig = Join-Path $out 'tauri.package.json'
[System.IO.File]::WriteAllText($extraConfig, "{ `"bundle`": { `"externalBin`": [`"$sidecar`"] } }",
  (New-Object System.Text.UTF8Encoding $false))
$nsisDir = Join-Path $targetDir 'release\bundle\nsis'
if (Test-Path $nsisDir) { Remove-Item -Recurse -Force $nsisDir }
Invoke-Tool cargo @('tauri', 'build', '--bundles', 'nsis', '--config', $extraConfig)

$installer = Get-ChildItem -Path $nsisDir -Filter '*-setup.exe' | Select-Object -First 1
if (-not $installer) { throw "no installer in $nsisDir" }
Copy-Item $installer.FullName (Join-Path $out $installer.Name) -Force

Write-Host ''
Write-Host "Installer:    $(Join-Path $out $installer.Name)"
Write-Host "Command line: $(Join-Path $out 'ocop.exe') (also installed beside the app)"
Write-Host "The installer installs into %LOCALAPPDATA%\OCOP Council\ for the current user;"
Write-Host "the data are in %APPDATA%\vn.ocop.council\ and are kept across updates."
