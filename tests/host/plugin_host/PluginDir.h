#pragma once
// A scratch plugin directory holding exactly the plugin files a test puts in
// it, with the permissions the loader accepts (directory 0755, files 0644).
#include <string>

#include "TempDir.h"

namespace rport::test {

class PluginDir {
public:
    PluginDir() = default;

    const std::string& path() const { return _dir.path(); }
    // Copies the fixture plugin built under test-plugins/<fixture>/ (its one
    // .so file, keeping the name) and returns the copy's path.
    std::string add(const std::string& fixture) const;
    // Copies any file in under the given name.
    std::string addFile(const std::string& source, const std::string& name) const;

private:
    TempDir _dir;
};

// Where the fixture plugins are built (RPORT_TEST_PLUGIN_DIR).
std::string fixturePluginDir();

}  // namespace rport::test
