#pragma once
// The plugin's files under the state directory (<data_dir>/acme), shared by
// every instance and by every rportd using the same data_dir:
//
//   <state>/<directory folder>/            one per ACME directory URL, so
//                                          staging and production accounts
//                                          and certificates never mix
//       account.key.pem                    the account key (0600)
//       account.url                        the account URL the CA gave
//       account.lock                       held while finding or creating it
//       <name>/fullchain.pem               leaf first, then intermediates
//       <name>/privkey.pem                 its key (0600)
//       <name>/fullchain.previous.pem      the certificate replaced last,
//       <name>/privkey.previous.pem        kept as a backup
//       <name>/order.lock                  held while ordering for <name>
//
// Every write is atomic (AtomicFile); keys are created 0600 and never
// chmod-ed. Locks are tried without waiting (FileLock).
#include <memory>
#include <optional>
#include <rport/secret.hpp>
#include <string>
#include <string_view>

#include "AtomicFile.h"
#include "FileLock.h"

namespace rport::plugins::acme {

struct StoredPair {
    std::string chainPem;
    rport::sdk::SecretString keyPem;
};

class CertificateStorage {
public:
    // stateDir: the host's state directory; directoryUrl: the ACME directory.
    CertificateStorage(std::string stateDir, const std::string& directoryUrl);

    // "acme-v02.api.letsencrypt.org-directory" for Let's Encrypt's URL:
    // the URL without scheme, every character but letters, digits, '.' and
    // '-' turned into '-'.
    static std::string folderNameFor(const std::string& directoryUrl);

    // Creates the directory folder and proves files can be written there;
    // throws StorageError naming the path and how to fix it.
    void ensureWritable() const;

    const std::string& stateDir() const { return _stateDir; }
    const std::string& folder() const { return _folder; }

    std::optional<rport::sdk::SecretString> loadAccountKeyPem() const;
    void saveAccountKeyPem(std::string_view pem) const;
    std::optional<std::string> loadAccountUrl() const;
    void saveAccountUrl(const std::string& url) const;
    std::unique_ptr<FileLock> tryLockAccount() const;
    std::string accountKeyPath() const { return _folder + "/account.key.pem"; }

    // The stored pair, or nullopt when there is none (either file missing).
    std::optional<StoredPair> loadCertificate(const std::string& name) const;
    // The backup pair (*.previous.pem), or nullopt when there is none.
    std::optional<StoredPair> loadPreviousCertificate(const std::string& name) const;
    // Keeps the current pair as the backup (unless its key does not match
    // its chain: then the backup stays), then writes the key and the chain.
    void saveCertificate(const std::string& name, const StoredPair& pair) const;
    std::unique_ptr<FileLock> tryLockName(const std::string& name) const;

    std::string nameFolder(const std::string& name) const { return _folder + "/" + name; }
    std::string chainPath(const std::string& name) const {
        return nameFolder(name) + "/fullchain.pem";
    }
    std::string keyPath(const std::string& name) const { return nameFolder(name) + "/privkey.pem"; }
    std::string previousChainPath(const std::string& name) const {
        return nameFolder(name) + "/fullchain.previous.pem";
    }
    std::string previousKeyPath(const std::string& name) const {
        return nameFolder(name) + "/privkey.previous.pem";
    }
    std::string orderLockPath(const std::string& name) const {
        return nameFolder(name) + "/order.lock";
    }

private:
    std::string _stateDir;
    std::string _folder;
};

}  // namespace rport::plugins::acme
