#pragma once
// A plugin image that passed every check: its descriptor copied into C++
// values, and the dlopen handle that keeps its code mapped. Shared ownership
// lets every backend instance keep the image loaded for as long as it lives.
#include <cstdint>
#include <string>
#include <vector>

#include "plugin_host/BackendEntry.h"
#include "plugin_host/DynamicLibrary.h"
#include "plugin_host/PluginFileCheck.h"

namespace rportd::plugin_host {

struct LoadedPlugin {
    std::string file;
    std::string name;
    std::string version;
    uint32_t abiMinor = 0;  // the SDK minor it was built with
    std::vector<BackendEntry> backends;
    // The checked file the image was mapped from. Held open for as long as
    // the image lives: the loader knows the image by /proc/self/fd/N, and a
    // reused descriptor number would make that name mean another file.
    OpenPluginFile source;
    DynamicLibrary library;  // last member: unmapped after everything else is gone
};

}  // namespace rportd::plugin_host
