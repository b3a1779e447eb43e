#pragma once
// A private scratch directory under /tmp that disappears with the object.
#include <string>

namespace rport::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const { return _path; }
    // Path of a file inside the directory.
    std::string file(const std::string& name) const { return _path + "/" + name; }
    // Writes text to a file inside the directory and returns its path.
    std::string write(const std::string& name, const std::string& text, int mode = 0644) const;

private:
    std::string _path;
};

// The whole content of a file ("" when it cannot be read).
std::string readFile(const std::string& path);

// The build tree and the source tree, for finding binaries and fixtures.
std::string buildDir();
std::string sourceDir();

}  // namespace rport::test
