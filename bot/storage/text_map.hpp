#pragma once
// Compound values in one TEXT column. A string map: "key=value" lines, backslashes and line breaks in
// values escaped. Internal to bot/storage/.
#include <map>
#include <string>
#include <vector>

namespace relais {

std::string encode_map(const std::map<std::string, std::string>& m);
// A list of ids in one TEXT column: "a|b" (ids never contain '|').
std::string join_list(const std::vector<std::string>& items);
std::vector<std::string> split_list(const std::string& s);
std::map<std::string, std::string> decode_map(const std::string& s);

}  // namespace relais
