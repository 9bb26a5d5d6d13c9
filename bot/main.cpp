#include <iostream>

#include "bot/cli.hpp"

int main(int argc, char** argv) { return relais::run_cli(argc, argv, std::cout, std::cerr); }
