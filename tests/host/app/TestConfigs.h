#pragma once
// rportd.conf texts for the integration tests: port 0 (the test reads the
// real port from the log), data under the test's temp dir.
#include <string>

namespace rport::test {

// A working config with static client and API credentials (admin:foobaz).
// extra is appended verbatim (more keys or tables).
std::string staticConfig(const std::string& dataDir, const std::string& extra = "");

// The plugin directory of the build under test.
std::string builtPluginDir();

}  // namespace rport::test
