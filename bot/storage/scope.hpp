#pragma once
// Which cohorts a reader may see: a coach's token names its cohorts; an admin sees all.
#include <algorithm>
#include <string>
#include <vector>

namespace relais {

struct CohortScope {
  bool all = false;
  std::vector<std::string> cohorts;

  bool sees(const std::string& cohort) const {
    return all || std::find(cohorts.begin(), cohorts.end(), cohort) != cohorts.end();
  }
  static CohortScope everything() { return {true, {}}; }
  static CohortScope of(std::vector<std::string> cohorts) { return {false, std::move(cohorts)}; }
};

}  // namespace relais
