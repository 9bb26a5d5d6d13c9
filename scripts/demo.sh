#!/usr/bin/env bash
# Sets up and runs Relais on the example configuration: SQLite under var/, the console
# channel (no gateway account needed), and the example participants.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh relais
mkdir -p var
./build/relais check-config --config config/relais.json
# Idempotent: a re-import of the same file changes nothing.
./build/relais import participants --config config/relais.json config/participants-example.csv
# A token for the dashboard, made once and kept in var/ (the demo's own data folder).
if [ ! -s var/demo-token ]; then
  ./build/relais token create --config config/relais.json --name "Démo" --admin | grep -o 'rl_[A-Za-z0-9]*' >var/demo-token
fi
cat <<EOF

  Tableau de bord : http://127.0.0.1:8080/
  Jeton (à coller à la connexion) : $(cat var/demo-token)
  Le simulateur est dans le menu « Simulateur de téléphone ».

EOF
exec ./build/relais serve --config config/relais.json
