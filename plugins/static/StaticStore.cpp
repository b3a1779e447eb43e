#include "StaticStore.h"

namespace rport::plugins::static_auth {

StaticStore::StaticStore(sdk::Host host) {
    const bool apiUsers = host.kind() == RPORT_KIND_API_AUTH;
    std::string text = host.requireSetting("auth");
    auto credential = parseCredential(text);
    if (!credential) {
        // The wording of the original rportd, which scripts and docs quote.
        throw sdk::Error(RPORT_E_INVALID,
                         apiUsers ? "invalid auth format: expected <user>:<password>, actual " + text
                                  : "invalid client auth credentials, expected '<client-id>:<password>', got \"" +
                                        text + "\"");
    }
    _record.id = credential->id;
    _record.secret = credential->secret;
    if (apiUsers) _record.groups.push_back("Administrators");
}

std::optional<sdk::AuthRecord> StaticStore::get(std::string_view id) {
    // Exact, case-sensitive, like the original's single-pair provider.
    if (id != _record.id) return std::nullopt;
    return _record;
}

sdk::ListPage StaticStore::list(const sdk::ListQuery& query) {
    sdk::ListPage page;
    if (!sdk::matches(query, _record.id)) return page;
    page.total = 1;
    if (query.offset == 0 && query.limit > 0) page.records.push_back(_record);
    return page;
}

}  // namespace rport::plugins::static_auth
