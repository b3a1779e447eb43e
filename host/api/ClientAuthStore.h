#pragma once
// The client credentials as the API sees them. The app implements it on the
// selected client-auth plugin; values are the SDK's C++ types.
#include <optional>
#include <string_view>

#include <rport/consumer.hpp>
#include <rport/types.hpp>

namespace rportd::api {

class ClientAuthStore {
public:
    virtual ~ClientAuthStore() = default;
    virtual rport::sdk::CallResult get(std::string_view id, std::optional<rport::sdk::AuthRecord>& record) = 0;
    virtual rport::sdk::CallResult list(const rport::sdk::ListQuery& query, rport::sdk::ListPage& page) = 0;
    virtual rport::sdk::CallResult add(const rport::sdk::AuthRecord& record) = 0;
    virtual rport::sdk::CallResult remove(std::string_view id) = 0;
    // The store can be written at all (false for the single static pair).
    virtual bool writable() = 0;
};

}  // namespace rportd::api
