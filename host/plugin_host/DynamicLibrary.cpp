#include "plugin_host/DynamicLibrary.h"

#include <dlfcn.h>

#include <utility>

namespace rportd::plugin_host {

DynamicLibrary::~DynamicLibrary() {
    if (_handle) ::dlclose(_handle);
}

DynamicLibrary::DynamicLibrary(DynamicLibrary&& other) noexcept
    : _handle(std::exchange(other._handle, nullptr)) {}

DynamicLibrary& DynamicLibrary::operator=(DynamicLibrary&& other) noexcept {
    if (this != &other) {
        if (_handle) ::dlclose(_handle);
        _handle = std::exchange(other._handle, nullptr);
    }
    return *this;
}

DynamicLibrary DynamicLibrary::open(const std::string& path, std::string& error) {
    ::dlerror();  // clear a stale message
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = ::dlerror();
        error = why ? why : "unknown dlopen error";
        return DynamicLibrary();
    }
    return DynamicLibrary(handle);
}

void* DynamicLibrary::symbol(const char* name) const noexcept {
    return _handle ? ::dlsym(_handle, name) : nullptr;
}

}  // namespace rportd::plugin_host
