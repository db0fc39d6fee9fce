#!/usr/bin/env bash
# Packs provisioning-cli as a dotnet tool into artifacts/ and installs it globally from there (or updates it).
# Afterwards: provisioning-cli --help (the tool folder, ~/.dotnet/tools, must be on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet pack src/Provisioning.Cli/Provisioning.Cli.csproj --configuration Release --output artifacts --nologo --verbosity quiet
# The version stays 1.0.0 between builds, which "dotnet tool update" would take as nothing new: reinstall instead.
if dotnet tool list --global | grep -qi '^provisioning\.cli '; then
  dotnet tool uninstall --global Provisioning.Cli >/dev/null
fi
# The package just packed, not a cached one of the same version.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/provisioning.cli"
dotnet tool install --global --add-source artifacts Provisioning.Cli
case ":$PATH:" in
  *":$HOME/.dotnet/tools:"*) ;;
  *) echo "Add the tool folder to PATH: export PATH=\"\$PATH:$HOME/.dotnet/tools\"" ;;
esac
