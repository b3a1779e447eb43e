// The state directory: atomic writes with the final mode from the start,
// the folder per ACME directory, backups of replaced certificates, account
// files, and order locks that exclude another process.
#include <cppunit/extensions/HelperMacros.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include "AcmeTestKit.h"
#include "CertificateStorage.h"
#include "TempDir.h"

using namespace rport::plugins::acme;
using rport::test::TempDir;
using rport::test::acme::fileMode;

namespace {

std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return out;
    while (const dirent* e = ::readdir(d))
        if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
            out.push_back(e->d_name);
    ::closedir(d);
    return out;
}

// Runs f in a child process; its return value is the exit code.
int inChild(const std::function<int()>& f) {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(f());
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char* const kLetsEncrypt = "https://acme-v02.api.letsencrypt.org/directory";

}  // namespace

class CertificateStorageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CertificateStorageTest);
    CPPUNIT_TEST(atomicWriteLeavesNoTemporaryFile);
    CPPUNIT_TEST(keysAre0600FromTheStart);
    CPPUNIT_TEST(replacingKeepsOldReadersOnTheOldFile);
    CPPUNIT_TEST(folderPerDirectory);
    CPPUNIT_TEST(accountFiles);
    CPPUNIT_TEST(certificateWithBackup);
    CPPUNIT_TEST(mismatchedPairDoesNotReplaceTheBackup);
    CPPUNIT_TEST(restartSeesWhatWasStored);
    CPPUNIT_TEST(orderLockExcludesAnotherProcess);
    CPPUNIT_TEST(orderLockExcludesInProcessToo);
    CPPUNIT_TEST(notWritableSaysWhatToDo);
    CPPUNIT_TEST_SUITE_END();

public:
    void atomicWriteLeavesNoTemporaryFile() {
        TempDir dir;
        const std::string path = dir.file("a.pem");
        writeFileAtomically(path, "one", 0644);
        writeFileAtomically(path, "two", 0644);
        CPPUNIT_ASSERT_EQUAL(std::string("two"), *readFileIfPresent(path));
        CPPUNIT_ASSERT(entries(dir.path()) == std::vector<std::string>{"a.pem"});
        CPPUNIT_ASSERT(!readFileIfPresent(dir.file("missing")));
        CPPUNIT_ASSERT_THROW(writeFileAtomically(dir.file("no/such/dir/x"), "x", 0600),
                             StorageError);
    }

    void keysAre0600FromTheStart() {
        TempDir dir;
        const mode_t old = ::umask(0);  // even a careless umask cannot widen it
        writeFileAtomically(dir.file("key.pem"), "secret", 0600);
        writeFileAtomically(dir.file("chain.pem"), "public", 0644);
        ::umask(old);
        CPPUNIT_ASSERT_EQUAL(0600, fileMode(dir.file("key.pem")));
        CPPUNIT_ASSERT_EQUAL(0644, fileMode(dir.file("chain.pem")));
    }

    void replacingKeepsOldReadersOnTheOldFile() {
        TempDir dir;
        const std::string path = dir.file("f");
        writeFileAtomically(path, "old content", 0600);
        const int fd = ::open(path.c_str(), O_RDONLY);
        writeFileAtomically(path, "new content", 0600);
        char buf[32] = {0};
        CPPUNIT_ASSERT(::read(fd, buf, sizeof buf - 1) > 0);
        ::close(fd);
        // A reader never sees a half-written file: it had the old inode.
        CPPUNIT_ASSERT_EQUAL(std::string("old content"), std::string(buf));
        CPPUNIT_ASSERT_EQUAL(std::string("new content"), *readFileIfPresent(path));
    }

    void folderPerDirectory() {
        CPPUNIT_ASSERT_EQUAL(std::string("acme-v02.api.letsencrypt.org-directory"),
                             CertificateStorage::folderNameFor(kLetsEncrypt));
        CPPUNIT_ASSERT_EQUAL(std::string("acme-staging-v02.api.letsencrypt.org-directory"),
                             CertificateStorage::folderNameFor(
                                 "https://acme-staging-v02.api.letsencrypt.org/directory"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1-14000-dir"),
                             CertificateStorage::folderNameFor("https://127.0.0.1:14000/dir"));
        // Never outside the state directory, never hidden.
        CPPUNIT_ASSERT_EQUAL(std::string("-.."), CertificateStorage::folderNameFor("https://../"));
        CPPUNIT_ASSERT_EQUAL(std::string("-"), CertificateStorage::folderNameFor("https://"));
        CPPUNIT_ASSERT(CertificateStorage::folderNameFor("https://ca.test/a/../../b").find('/') ==
                       std::string::npos);
    }

    void accountFiles() {
        TempDir dir;
        const CertificateStorage storage(dir.path(), kLetsEncrypt);
        CPPUNIT_ASSERT(!storage.loadAccountKeyPem());
        CPPUNIT_ASSERT(!storage.loadAccountUrl());
        storage.saveAccountKeyPem("KEY");
        storage.saveAccountUrl("https://ca.test/acct/1");
        CPPUNIT_ASSERT_EQUAL(std::string("KEY"), std::string(storage.loadAccountKeyPem()->view()));
        CPPUNIT_ASSERT_EQUAL(std::string("https://ca.test/acct/1"), *storage.loadAccountUrl());
        CPPUNIT_ASSERT_EQUAL(
            0600, fileMode(dir.path() + "/acme-v02.api.letsencrypt.org-directory/account.key.pem"));
        // Another directory has its own account.
        const CertificateStorage staging(dir.path(),
                                         "https://acme-staging-v02.api.letsencrypt.org/directory");
        CPPUNIT_ASSERT(!staging.loadAccountKeyPem());
    }

    void certificateWithBackup() {
        using rport::test::acme::selfSigned;
        const auto p1 = selfSigned("rport.example.com", -60, 86400, false, "", "01");
        const auto p2 = selfSigned("rport.example.com", -60, 86400, false, "", "02");
        const auto p3 = selfSigned("rport.example.com", -60, 86400, false, "", "03");
        TempDir dir;
        const CertificateStorage storage(dir.path(), kLetsEncrypt);
        CPPUNIT_ASSERT(!storage.loadCertificate("rport.example.com"));
        CPPUNIT_ASSERT(!storage.loadPreviousCertificate("rport.example.com"));
        storage.saveCertificate("rport.example.com", {p1.chainPem, p1.keyPem});
        const std::string folder = storage.nameFolder("rport.example.com");
        CPPUNIT_ASSERT(!rport::plugins::acme::fileExists(folder + "/fullchain.previous.pem"));
        storage.saveCertificate("rport.example.com", {p2.chainPem, p2.keyPem});
        const auto pair = storage.loadCertificate("rport.example.com");
        CPPUNIT_ASSERT_EQUAL(p2.chainPem, pair->chainPem);
        CPPUNIT_ASSERT_EQUAL(p2.keyPem, std::string(pair->keyPem.view()));
        CPPUNIT_ASSERT_EQUAL(p1.chainPem,
                             rport::test::readFile(folder + "/fullchain.previous.pem"));
        CPPUNIT_ASSERT_EQUAL(p1.keyPem, rport::test::readFile(folder + "/privkey.previous.pem"));
        CPPUNIT_ASSERT_EQUAL(p1.chainPem,
                             storage.loadPreviousCertificate("rport.example.com")->chainPem);
        CPPUNIT_ASSERT_EQUAL(0600, fileMode(folder + "/privkey.pem"));
        CPPUNIT_ASSERT_EQUAL(0600, fileMode(folder + "/privkey.previous.pem"));
        CPPUNIT_ASSERT_EQUAL(0644, fileMode(folder + "/fullchain.pem"));
        CPPUNIT_ASSERT_EQUAL(0700, fileMode(folder));
        // The previous backup is replaced, not accumulated.
        storage.saveCertificate("rport.example.com", {p3.chainPem, p3.keyPem});
        CPPUNIT_ASSERT_EQUAL(p2.chainPem,
                             rport::test::readFile(folder + "/fullchain.previous.pem"));
        CPPUNIT_ASSERT_EQUAL(size_t(4), entries(folder).size());
    }

    // A crash between the key's rename and the chain's leaves a mismatched
    // current pair: the next save keeps the good backup instead of it.
    void mismatchedPairDoesNotReplaceTheBackup() {
        using rport::test::acme::selfSigned;
        const auto p1 = selfSigned("rport.example.com", -60, 86400, false, "", "01");
        const auto p2 = selfSigned("rport.example.com", -60, 86400, false, "", "02");
        const auto p3 = selfSigned("rport.example.com", -60, 86400, false, "", "03");
        TempDir dir;
        const CertificateStorage storage(dir.path(), kLetsEncrypt);
        storage.saveCertificate("rport.example.com", {p1.chainPem, p1.keyPem});
        storage.saveCertificate("rport.example.com", {p1.chainPem, p2.keyPem});  // "crashed"
        CPPUNIT_ASSERT_EQUAL(
            p1.keyPem,
            std::string(storage.loadPreviousCertificate("rport.example.com")->keyPem.view()));
        storage.saveCertificate("rport.example.com", {p3.chainPem, p3.keyPem});
        const auto previous = storage.loadPreviousCertificate("rport.example.com");
        CPPUNIT_ASSERT_EQUAL(p1.chainPem, previous->chainPem);
        CPPUNIT_ASSERT_EQUAL(p1.keyPem, std::string(previous->keyPem.view()));
        CPPUNIT_ASSERT_EQUAL(
            p3.keyPem, std::string(storage.loadCertificate("rport.example.com")->keyPem.view()));
    }

    void restartSeesWhatWasStored() {
        TempDir dir;
        {
            const CertificateStorage storage(dir.path(), kLetsEncrypt);
            storage.saveAccountKeyPem("KEY");
            storage.saveAccountUrl("https://ca.test/acct/9");
            storage.saveCertificate("a.example.com", {"CHAIN", "PRIVATE"});
        }
        const CertificateStorage again(dir.path() + "/", kLetsEncrypt);
        CPPUNIT_ASSERT_EQUAL(std::string("https://ca.test/acct/9"), *again.loadAccountUrl());
        CPPUNIT_ASSERT_EQUAL(std::string("CHAIN"),
                             again.loadCertificate("a.example.com")->chainPem);
    }

    void orderLockExcludesAnotherProcess() {
        TempDir dir;
        const CertificateStorage storage(dir.path(), kLetsEncrypt);
        auto held = storage.tryLockName("a.example.com");
        CPPUNIT_ASSERT(held);
        // 1: busy, 0: got it.
        const auto childTries = [&] {
            return inChild([&] {
                try {
                    return storage.tryLockName("a.example.com") ? 0 : 1;
                } catch (...) {
                    return 2;
                }
            });
        };
        CPPUNIT_ASSERT_EQUAL(1, childTries());
        // Another name is independent.
        CPPUNIT_ASSERT_EQUAL(0,
                             inChild([&] { return storage.tryLockName("b.example.com") ? 0 : 1; }));
        held.reset();
        CPPUNIT_ASSERT_EQUAL(0, childTries());
        // The account lock likewise.
        auto account = storage.tryLockAccount();
        CPPUNIT_ASSERT(account);
        CPPUNIT_ASSERT_EQUAL(1, inChild([&] { return storage.tryLockAccount() ? 0 : 1; }));
    }

    void orderLockExcludesInProcessToo() {
        TempDir dir;
        const CertificateStorage storage(dir.path(), kLetsEncrypt);
        auto first = storage.tryLockName("a.example.com");
        CPPUNIT_ASSERT(first);
        CPPUNIT_ASSERT(!storage.tryLockName("a.example.com"));
        first.reset();
        CPPUNIT_ASSERT(storage.tryLockName("a.example.com"));
    }

    void notWritableSaysWhatToDo() {
        const CertificateStorage storage("/proc/self/acme-state", kLetsEncrypt);
        try {
            storage.ensureWritable();
            CPPUNIT_FAIL("a directory under /proc passed as writable");
        } catch (const StorageError& e) {
            const std::string text = e.what();
            CPPUNIT_ASSERT_MESSAGE(
                text, text.find("/proc/self/acme-state is not writable") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(text, text.find("chown") != std::string::npos);
        }
        TempDir dir;
        const CertificateStorage fine(dir.path(), kLetsEncrypt);
        fine.ensureWritable();
        CPPUNIT_ASSERT(entries(fine.folder()).empty());  // the probe is gone
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CertificateStorageTest);
