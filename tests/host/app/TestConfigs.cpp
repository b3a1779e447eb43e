#include "TestConfigs.h"

#include "TempDir.h"

namespace rport::test {

std::string staticConfig(const std::string& dataDir, const std::string& extra) {
    return "[server]\n"
           "address = \"127.0.0.1:0\"\n"
           "auth = \"clientAuth1:1234\"\n"
           "data_dir = \"" + dataDir + "\"\n"
           "[api]\n"
           "address = \"127.0.0.1:0\"\n"
           "auth = \"admin:foobaz\"\n"
           "[logging]\n"
           "log_level = \"info\"\n" + extra;
}

std::string builtPluginDir() { return buildDir() + "/lib/rportd/plugins"; }

}  // namespace rport::test
