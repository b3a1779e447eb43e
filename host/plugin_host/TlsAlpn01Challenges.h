#pragma once
// The ACME TLS-ALPN-01 challenges (RFC 8737) currently published by
// cert-provider plugins: DNS name -> challenge certificate and key (PEM).
// Plugins fill it through tls_alpn01_publish/withdraw; the TLS layer answers
// handshakes that offer "acme-tls/1" for one of these names from it, and
// learns about changes through the listener. Thread-safe.
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <rport/secret.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace rportd::plugin_host {

class TlsAlpn01Challenges {
public:
    // Told about every change: the name with the new pair, or with two null
    // pointers when the name was withdrawn. The pointers are valid for the
    // call only. For a new pair it answers whether handshakes will now get
    // it; false (or an exception) undoes the publish, so that a plugin never
    // asks the CA to validate what nothing answers. Ignored for withdrawals.
    using Listener = std::function<bool(const std::string& name, const std::string* certPem,
                                        const rport::sdk::SecretString* keyPem)>;

    enum class PublishResult {
        Published,
        Invalid,     // the name or the pair is malformed; nothing stored
        NoListener,  // no TLS layer would ever answer it; nothing stored
        Refused,     // the TLS layer cannot answer it (now); nothing stored
    };

    // A DNS name as it may appear in SNI: 1..253 characters in dot-separated
    // labels of 1..63 letters, digits and hyphens. No wildcard: RFC 8737
    // validates exact names only. Case does not matter.
    static bool isValidName(std::string_view name) noexcept;
    // Loose on purpose, the TLS layer parses the PEM: both non-empty and at
    // most 64 KB (a certificate with its acmeIdentifier extension is ~2 KB).
    static bool isValidPair(std::string_view certPem, std::string_view keyPem) noexcept;

    // The TLS layer registers here; an empty listener unregisters. Once this
    // returns, the previous listener is not running and will not be called
    // again. A listener may call find() and size(), but must not publish,
    // withdraw or set a listener (it would wait for itself).
    void setListener(Listener listener);

    // Stores the pair under the lower-cased name, replacing what was there
    // (and taking it over from its previous owner), then tells the listener.
    // owner lets withdrawAll() clean up after an instance that goes away.
    PublishResult publish(std::string_view name, std::string_view certPem,
                          std::string_view keyPem, const void* owner);
    // False when owner has not published that name (never, or someone took
    // it over since): one instance cannot pull another's challenge.
    bool withdraw(std::string_view name, const void* owner);
    // Withdraws every name owner published, telling the listener each.
    void withdrawAll(const void* owner);

    // {certPem, keyPem} for the name (any case), or nothing.
    std::optional<std::pair<std::string, rport::sdk::SecretString>> find(
        std::string_view name) const;
    size_t size() const;

private:
    struct Entry {
        std::string certPem;
        rport::sdk::SecretString keyPem;  // wiped when withdrawn or replaced
        const void* owner;
    };

    // Calls the listener, if any, and returns its answer; what it throws is
    // logged and counts as false.
    bool notify(const std::string& name, const std::string* certPem,
                const rport::sdk::SecretString* keyPem) noexcept;

    // Held around every change and its notification, so the listener hears
    // changes one at a time and in the order they happened; _mutex alone
    // guards the map, so the listener may read it.
    std::mutex _changeMutex;
    mutable std::mutex _mutex;
    std::map<std::string, Entry, std::less<>> _challenges;
    Listener _listener;  // guarded by _changeMutex
};

}  // namespace rportd::plugin_host
