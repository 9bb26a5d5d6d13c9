#pragma once
// The numbered schema migrations of the SQLite store. Append new ones; never edit one that
// has shipped.
#include <span>

#include "bot/storage/sqlite.hpp"

namespace relais {
std::span<const sql::Migration> schema_migrations();
}
