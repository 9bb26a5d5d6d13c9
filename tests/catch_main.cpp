// Catch2 v2's runner, compiled once: never edit this file (it costs ~15 s).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
