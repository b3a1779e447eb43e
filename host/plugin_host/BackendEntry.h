#pragma once
// One backend offered by a loaded plugin, copied out of its descriptor.
#include <cstdint>
#include <string>

namespace rportd::plugin_host {

struct BackendEntry {
    std::string kind;    // RPORT_KIND_*
    std::string name;    // what rportd.conf selects
    uint32_t flags = 0;  // RPORT_BACKEND_*
    // const rport_auth_v1* or const rport_cert_v1*, inside the plugin image:
    // valid while the image stays loaded.
    const void* vtable = nullptr;
};

}  // namespace rportd::plugin_host
