// validate(): the order of the checks, which decides the error reported first.
#include "config/Config.h"
#include "config/PluginSelection.h"
#include "config/ValidationSteps.h"

namespace rportd::config {

void validate(Config& config, std::vector<std::string>& warnings) {
    // Step 1 of the original, mapping deprecated keys, happens in the loader,
    // which is the only place that still sees the old names.
    checkServerUrls(config);
    checkPortRanges(config);
    checkTunnelProxy(config);
    checkClientTls(config);
    // Step 5 (caddy integration) is not supported; its keys only warn.
    checkDataDir(config);
    checkKeepDisconnectedClients(config);
    checkClientAuth(config);
    checkApi(config);
    checkDatabase(config);
    checkMisc(config, warnings);
    checkAcme(config, warnings);
    // Roles not settled by the steps above (e.g. API roles while the API is off).
    for (auto role : kAllPluginRoles) resolvePluginRole(config, role);
}

void validate(Config& config) {
    std::vector<std::string> ignored;
    validate(config, ignored);
}

}  // namespace rportd::config
