#pragma once
// rportd's implementation of rport_host_v1, the services table every plugin
// receives: logging into Poco, the instance's settings, password hashing,
// certificate-change notices, ACME HTTP-01 tokens and timers (ABI 1.0), and
// ACME TLS-ALPN-01 challenges, provider status reports, a state directory per
// backend and 64-bit timers (ABI 1.1).
//
// One HostServices serves all plugins of the process. It must outlive every
// registry and backend instance created with it (their contexts point here).
#include <rport/plugin.h>

#include <cstdint>
#include <memory>
#include <string>

#include "plugin_host/Http01Tokens.h"
#include "plugin_host/InstanceContext.h"
#include "plugin_host/Settings.h"
#include "plugin_host/TimerService.h"
#include "plugin_host/TlsAlpn01Challenges.h"

namespace rportd::plugin_host {

struct HostOptions {
    std::string dataDir;       // [server] data_dir, what data_dir() returns
    unsigned bcryptCost = 10;  // for password_hash; 4..31
    // The ABI minor the table handed to plugins offers. 0 hands out the 1.0
    // table (shorter struct_size, no 1.1 slots), so tests can show that a
    // plugin built against a newer SDK still works in an older rportd.
    // Values above RPORT_ABI_MINOR mean RPORT_ABI_MINOR.
    uint32_t offeredAbiMinor = RPORT_ABI_MINOR;
};

class HostServices {
public:
    explicit HostServices(HostOptions options = {});
    ~HostServices();
    HostServices(const HostServices&) = delete;
    HostServices& operator=(const HostServices&) = delete;

    // The table handed to plugins, as HostOptions::offeredAbiMinor asks. Both
    // tables it chooses from are static, so they outlive every plugin image
    // as plugin.h requires ("valid until the plugin is unloaded").
    const rport_host_v1* table() const noexcept;
    uint32_t offeredAbiMinor() const noexcept;

    const std::string& dataDir() const noexcept { return _options.dataDir; }
    // password_hash has no context argument, so the cost is process-wide: the
    // most recently constructed HostServices (or setBcryptCost) decides it.
    static unsigned bcryptCost() noexcept;
    static void setBcryptCost(unsigned cost) noexcept;

    Http01Tokens& http01Tokens() noexcept { return _tokens; }
    // What the TLS layer answers "acme-tls/1" handshakes from; it registers
    // its listener here, and until it does tls_alpn01_publish is refused.
    TlsAlpn01Challenges& tlsAlpn01Challenges() noexcept { return _tlsAlpn01; }
    TimerService& timers() noexcept { return _timers; }

    // The context for one backend instance; pass context->handle() to create().
    std::unique_ptr<InstanceContext> makeContext(InstanceIdentity identity, Settings settings);

private:
    HostOptions _options;
    Http01Tokens _tokens;
    TlsAlpn01Challenges _tlsAlpn01;
    TimerService _timers;  // after the challenges: its thread stops first
};

}  // namespace rportd::plugin_host
