#pragma once
// A string map in one TEXT column: "key=value" lines, backslashes and line breaks in
// values escaped. Internal to bot/storage/.
#include <map>
#include <string>

namespace relais {

std::string encode_map(const std::map<std::string, std::string>& m);
std::map<std::string, std::string> decode_map(const std::string& s);

}  // namespace relais
