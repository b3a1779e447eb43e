#include "PluginDir.h"

#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace rport::test {

std::string fixturePluginDir() { return RPORT_TEST_PLUGIN_DIR; }

std::string PluginDir::add(const std::string& fixture) const {
    const fs::path dir = fs::path(fixturePluginDir()) / fixture;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().extension() == ".so")
            return addFile(entry.path().string(), entry.path().filename().string());
    throw std::runtime_error("no fixture plugin in " + dir.string() +
                             " (was rport_test_plugins built?)");
}

std::string PluginDir::addFile(const std::string& source, const std::string& name) const {
    const std::string target = _dir.file(name);
    fs::copy_file(source, target, fs::copy_options::overwrite_existing);
    ::chmod(target.c_str(), 0644);
    return target;
}

}  // namespace rport::test
