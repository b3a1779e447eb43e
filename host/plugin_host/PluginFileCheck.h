#pragma once
// The checks a plugin file and the directories above it pass before anything
// is mapped into the process: whoever can rewrite them can run code as rportd.
//
// The file is checked on an open descriptor and that very descriptor is what
// gets mapped (/proc/self/fd/N), so a symlink or a file swapped in between the
// check and dlopen() can never load code nobody checked. The directories are
// checked from the plugin directory up to /, as OpenSSH's safe_path does: a
// writable ancestor could swap the whole tree underneath.
#include <string>

namespace rportd::plugin_host {

// A plugin file opened for mapping, or why it may not be.
class OpenPluginFile {
public:
    // Opens path without following a final symlink, without blocking on a
    // FIFO, and checks what was opened: a regular file, owned by root or
    // rportd's user, writable by nobody else.
    static OpenPluginFile open(const std::string& path);

    OpenPluginFile() noexcept = default;
    ~OpenPluginFile();
    OpenPluginFile(OpenPluginFile&& other) noexcept;
    OpenPluginFile& operator=(OpenPluginFile&& other) noexcept;
    OpenPluginFile(const OpenPluginFile&) = delete;
    OpenPluginFile& operator=(const OpenPluginFile&) = delete;

    bool accepted() const noexcept { return _fd >= 0; }
    // Why not, e.g. "writable by group or others (mode 0664)"; empty when accepted.
    const std::string& refusal() const noexcept { return _refusal; }
    int descriptor() const noexcept { return _fd; }
    // The name dlopen() maps this descriptor by: the checked file, whatever
    // the path names by now.
    std::string mapPath() const;

private:
    int _fd = -1;
    std::string _refusal;
};

// Empty when plugins may be read from path: a directory, owned by root or
// rportd's user, writable by nobody else; and every directory above it owned
// by root or rportd's user and writable by nobody else, unless it is sticky
// (/tmp): there nobody else may rename or remove what we own.
std::string refusePluginDirectory(const std::string& path);

}  // namespace rportd::plugin_host
