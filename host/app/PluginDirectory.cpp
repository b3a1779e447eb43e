#include "app/PluginDirectory.h"

#include <Poco/Path.h>

#include <climits>
#include <unistd.h>

namespace rportd::app {

std::string defaultPluginDirectory() {
    char self[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return RPORTD_PLUGIN_DIR_FROM_BIN;  // relative to the working directory
    self[n] = '\0';
    Poco::Path dir(self);
    dir.setFileName("");
    dir.append(Poco::Path(RPORTD_PLUGIN_DIR_FROM_BIN));
    return dir.makeDirectory().toString();
}

}  // namespace rportd::app
