#pragma once
#include <ostream>

namespace relais {
// The `relais` command line. Exit codes: 0 ok, 2 bad input (the message names the file
// and the line or JSON path), 1 any other failure.
int run_cli(int argc, char** argv, std::ostream& out, std::ostream& err);
}
