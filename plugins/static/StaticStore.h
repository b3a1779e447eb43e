#pragma once
// A read-only store holding exactly one credential.
#include <rport/plugin.hpp>

#include "StaticCredential.h"

namespace rport::plugins::static_auth {

class StaticStore : public sdk::AuthStore {
public:
    // Reads the "auth" setting; API users get the Administrators group, as the
    // single static API user of the original rportd does.
    explicit StaticStore(sdk::Host host);

    std::optional<sdk::AuthRecord> get(std::string_view id) override;
    sdk::ListPage list(const sdk::ListQuery& query) override;

private:
    sdk::AuthRecord _record;
};

}  // namespace rport::plugins::static_auth
