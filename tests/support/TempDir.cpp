#include "TempDir.h"

#include <sys/stat.h>

#include <Poco/File.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace rport::test {

TempDir::TempDir() {
    std::string pattern = "/tmp/rport-test-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
    _path = buf.data();
    ::chmod(_path.c_str(), 0755);  // the loader refuses group/world-writable dirs
}

TempDir::~TempDir() {
    try {
        Poco::File(_path).remove(true);
    } catch (...) {
    }
}

std::string TempDir::write(const std::string& name, const std::string& text, int mode) const {
    std::string p = file(name);
    {
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out << text;
    }
    ::chmod(p.c_str(), static_cast<mode_t>(mode));
    return p;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string buildDir() {
    const char* env = std::getenv("RPORT_BUILD_DIR");
    return env ? env : RPORT_BUILD_DIR;
}

std::string sourceDir() {
    const char* env = std::getenv("RPORT_SOURCE_DIR");
    return env ? env : RPORT_SOURCE_DIR;
}

}  // namespace rport::test
