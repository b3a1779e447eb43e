#include "CertificateStorage.h"

#include <unistd.h>

#include <cerrno>

#include "CertificateInfo.h"

namespace rport::plugins::acme {
namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

CertificateStorage::CertificateStorage(std::string stateDir, const std::string& directoryUrl)
    : _stateDir(std::move(stateDir)) {
    while (_stateDir.size() > 1 && _stateDir.back() == '/') _stateDir.pop_back();
    _folder = _stateDir + "/" + folderNameFor(directoryUrl);
}

std::string CertificateStorage::folderNameFor(const std::string& directoryUrl) {
    std::string rest = directoryUrl;
    const size_t scheme = rest.find("://");
    if (scheme != std::string::npos) rest = rest.substr(scheme + 3);
    std::string out;
    for (char c : rest) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '.' || c == '-';
        out += keep ? c : '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    // Never ".", ".." or a hidden name.
    if (out.empty() || out.front() == '.') out = "-" + out;
    return out;
}

void CertificateStorage::ensureWritable() const {
    const std::string fix = " rportd (uid " + std::to_string(::geteuid()) +
                            ") must be able to write there: fix it with chown " +
                            std::to_string(::geteuid()) + " " + _stateDir + " && chmod 0700 " +
                            _stateDir + ", or set [server] data_dir elsewhere";
    try {
        makeDirectory(_folder);
        const std::string probe = _folder + "/.write-test";
        writeFileAtomically(probe, "", 0600);
        ::unlink(probe.c_str());
    } catch (const StorageError& e) {
        throw StorageError("the acme state directory " + _stateDir + " is not writable (" +
                           e.what() + ")." + fix);
    }
}

std::optional<rport::sdk::SecretString> CertificateStorage::loadAccountKeyPem() const {
    return readSecretFileIfPresent(accountKeyPath());
}

void CertificateStorage::saveAccountKeyPem(std::string_view pem) const {
    makeDirectory(_folder);
    writeFileAtomically(accountKeyPath(), pem, 0600);
}

std::optional<std::string> CertificateStorage::loadAccountUrl() const {
    auto text = readFileIfPresent(_folder + "/account.url");
    if (!text) return std::nullopt;
    std::string url = trimmed(*text);
    if (url.empty()) return std::nullopt;
    return url;
}

void CertificateStorage::saveAccountUrl(const std::string& url) const {
    makeDirectory(_folder);
    writeFileAtomically(_folder + "/account.url", url + "\n", 0644);
}

std::unique_ptr<FileLock> CertificateStorage::tryLockAccount() const {
    makeDirectory(_folder);
    return FileLock::tryExclusive(_folder + "/account.lock");
}

std::optional<StoredPair> CertificateStorage::loadCertificate(const std::string& name) const {
    auto chain = readFileIfPresent(chainPath(name));
    auto key = readSecretFileIfPresent(keyPath(name));
    if (!chain || !key) return std::nullopt;
    return StoredPair{std::move(*chain), std::move(*key)};
}

std::optional<StoredPair> CertificateStorage::loadPreviousCertificate(
    const std::string& name) const {
    auto chain = readFileIfPresent(previousChainPath(name));
    auto key = readSecretFileIfPresent(previousKeyPath(name));
    if (!chain || !key) return std::nullopt;
    return StoredPair{std::move(*chain), std::move(*key)};
}

void CertificateStorage::saveCertificate(const std::string& name, const StoredPair& pair) const {
    makeDirectory(_folder);
    makeDirectory(nameFolder(name));
    // A current pair left mismatched (a crash between the two renames
    // below) is not worth keeping: the backup it would replace may be the
    // only good pair.
    bool currentMatches = false;
    try {
        const auto current = loadCertificate(name);
        currentMatches = current && keyMatchesLeaf(current->chainPem, current->keyPem);
    } catch (const std::exception&) {
        currentMatches = false;
    }
    if (currentMatches) {
        linkAtomically(chainPath(name), previousChainPath(name));
        linkAtomically(keyPath(name), previousKeyPath(name));
    }
    // Key first: a reader that catches the moment in between sees a key that
    // does not match the chain and keeps what it has, never a chain served
    // with a stale key.
    writeFileAtomically(keyPath(name), pair.keyPem, 0600);
    writeFileAtomically(chainPath(name), pair.chainPem, 0644);
}

std::unique_ptr<FileLock> CertificateStorage::tryLockName(const std::string& name) const {
    makeDirectory(_folder);
    makeDirectory(nameFolder(name));
    return FileLock::tryExclusive(orderLockPath(name));
}

}  // namespace rport::plugins::acme
