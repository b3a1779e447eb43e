#pragma once
// rportd's implementation of rport_host_v1, the services table every plugin
// receives: logging into Poco, the instance's settings, password hashing,
// certificate-change notices, ACME HTTP-01 tokens and timers.
//
// One HostServices serves all plugins of the process. It must outlive every
// registry and backend instance created with it (their contexts point here).
#include <rport/plugin.h>

#include <memory>
#include <string>

#include "plugin_host/Http01Tokens.h"
#include "plugin_host/InstanceContext.h"
#include "plugin_host/Settings.h"
#include "plugin_host/TimerService.h"

namespace rportd::plugin_host {

struct HostOptions {
    std::string dataDir;       // [server] data_dir, what data_dir() returns
    unsigned bcryptCost = 10;  // for password_hash; 4..31
};

class HostServices {
public:
    explicit HostServices(HostOptions options = {});
    ~HostServices();
    HostServices(const HostServices&) = delete;
    HostServices& operator=(const HostServices&) = delete;

    // The table handed to plugins. It is static, so it outlives every plugin
    // image as plugin.h requires ("valid until the plugin is unloaded").
    static const rport_host_v1* table() noexcept;

    const std::string& dataDir() const noexcept { return _options.dataDir; }
    // password_hash has no context argument, so the cost is process-wide: the
    // most recently constructed HostServices (or setBcryptCost) decides it.
    static unsigned bcryptCost() noexcept;
    static void setBcryptCost(unsigned cost) noexcept;

    Http01Tokens& http01Tokens() noexcept { return _tokens; }
    TimerService& timers() noexcept { return _timers; }

    // The context for one backend instance; pass context->handle() to create().
    std::unique_ptr<InstanceContext> makeContext(InstanceIdentity identity, Settings settings);

private:
    HostOptions _options;
    Http01Tokens _tokens;
    TimerService _timers;  // after _tokens: its thread stops first
};

}  // namespace rportd::plugin_host
