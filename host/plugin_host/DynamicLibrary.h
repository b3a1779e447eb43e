#pragma once
// A shared object opened with dlopen(RTLD_NOW | RTLD_LOCAL), closed with the
// object. Our own ~30 lines instead of Poco::SharedLibrary because Poco always
// adds RTLD_LAZY, which would turn a missing symbol into a crash at the first
// call instead of a refusal at load time.
#include <string>

namespace rportd::plugin_host {

class DynamicLibrary {
public:
    DynamicLibrary() noexcept = default;
    ~DynamicLibrary();
    DynamicLibrary(DynamicLibrary&& other) noexcept;
    DynamicLibrary& operator=(DynamicLibrary&& other) noexcept;
    DynamicLibrary(const DynamicLibrary&) = delete;
    DynamicLibrary& operator=(const DynamicLibrary&) = delete;

    // An empty library and the dlerror() text on failure.
    static DynamicLibrary open(const std::string& path, std::string& error);

    explicit operator bool() const noexcept { return _handle != nullptr; }
    // nullptr when the library does not define name.
    void* symbol(const char* name) const noexcept;

private:
    explicit DynamicLibrary(void* handle) noexcept : _handle(handle) {}
    void* _handle = nullptr;
};

}  // namespace rportd::plugin_host
