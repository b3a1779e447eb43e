#include "api/handlers/StatusHandler.h"

#include "api/ApiResponse.h"
#include "util/JsonWriter.h"

namespace rportd::api {

std::string renderStatus(const StatusInfo& info, const ClientCounts& counts) {
    util::JsonWriter w;
    w.beginObject().key("data").beginObject();
    // This rportd keeps no audit log. The original reports a disabled one
    // (enable_audit_log = false) this way; the UI reads the same shape.
    w.key("auditlog").beginObject().key("enabled").value(false).key("rotation").value("monthly");
    w.endObject();
    w.key("auth_header").value(false);
    w.key("caddy_integration_enabled").value(false);
    w.key("clients_auth_mode").value(info.clientsAuthMode);
    w.key("clients_auth_source").value(info.clientsAuthSource);
    w.key("clients_connected").value(counts.connected);
    w.key("clients_disconnected").value(counts.disconnected);
    w.key("connect_url").stringArray(info.connectUrl);
    w.key("excluded_ports").stringArray(info.excludedPorts);
    w.key("fingerprint").value(info.fingerprint);
    w.key("group_permissions_enabled").value(false);
    w.key("monitoring_enabled").value(false);
    w.key("pairing_url").value(info.pairingUrl);
    w.key("password_min_length").value(info.passwordMinLength);
    w.key("tls_certificates").beginArray();
    for (const auto& c : info.certificates) {
        w.beginObject();
        w.key("detail").value(c.detail);
        w.key("issuer").value(c.issuer);
        w.key("last_error").value(c.lastError);
        w.key("last_error_at").value(c.lastErrorAt);
        w.key("last_reload").value(c.lastReload);
        w.key("name").value(c.name);
        w.key("next_renewal").value(c.nextRenewal);
        w.key("not_after").value(c.notAfter);
        w.key("provider").value(c.provider);
        w.key("sans").stringArray(c.sans);
        w.key("serial").value(c.serial);
        w.key("source").value(c.source);
        w.key("state").value(c.state);
        w.key("subject").value(c.subject);
        w.endObject();
    }
    w.endArray();
    w.key("tunnel_host").value(info.tunnelHost);
    w.key("tunnel_proxy_enabled").value(info.tunnelProxyEnabled);
    w.key("two_fa_delivery_method").value("");
    w.key("two_fa_enabled").value(false);
    w.key("used_ports").stringArray(info.usedPorts);
    w.key("users_auth_source").value(info.usersAuthSource);
    w.key("version").value(info.version);
    w.endObject().endObject();
    return w.take();
}

void addStatusRoute(Router& router, std::function<StatusInfo()> info,
                    std::function<ClientCounts()> counts) {
    router.add(
        "GET", "/api/v1/status", Access::Authenticated,
        [info = std::move(info), counts = std::move(counts)](ApiContext& ctx) {
            sendJson(ctx.response, 200, renderStatus(info(), counts()));
        },
        /*nonBlocking=*/true);
}

}  // namespace rportd::api
