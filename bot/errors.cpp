#include <exception>
#include <ostream>

#include "bot/commands.hpp"
#include "dialogs/script_loader.hpp"
#include "dialogs/templates.hpp"
#include "dialogs/tips.hpp"

namespace relais {

int report_current_exception(std::ostream& err) {
  try {
    throw;
  } catch (const ConfigError& e) {
    err << "error: " << e.what() << "\n";
  } catch (const dialogs::DialogError& e) {
    err << "error: " << e.what() << "\n";
  } catch (const dialogs::TipsError& e) {
    err << "error: " << e.what() << "\n";
  } catch (const dialogs::TemplateLoadError& e) {
    err << "error: " << e.what() << "\n";
  } catch (const BadInput& e) {
    err << "error: " << e.what() << "\n";
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitBadInput;
}

}  // namespace relais
