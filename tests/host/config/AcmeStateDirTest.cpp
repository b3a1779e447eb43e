// Whether <data_dir>/acme can hold the ACME client's keys: a real, writable
// directory, or a writable ancestor to create it in. Permission cases run as
// an unprivileged user: root may write anywhere, so as root the check runs in
// a child that drops to "nobody".
#include <cppunit/extensions/HelperMacros.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "Skip.h"
#include "TempDir.h"
#include "Unprivileged.h"
#include "config/AcmeStateDir.h"

namespace rportd::config::test {
namespace {

using rport::test::kNobody;
using rport::test::unprivilegedUid;

// How the message names the user whose permissions were checked.
std::string userText(uid_t uid) {
    const struct passwd* entry = ::getpwuid(uid);
    const std::string id = "uid " + std::to_string(uid);
    return entry ? "user " + std::string(entry->pw_name) + " (" + id + ")" : id;
}

std::string userName(uid_t uid) {
    const struct passwd* entry = ::getpwuid(uid);
    return entry ? entry->pw_name : std::to_string(uid);
}

// acmeStateDirProblem as a user without privileges.
std::string problemAsUnprivilegedUser(const std::string& dataDir) {
    return rport::test::asUnprivilegedUser([&] { return acmeStateDirProblem(dataDir); });
}

}  // namespace

class AcmeStateDirTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AcmeStateDirTest);
    CPPUNIT_TEST(pathIsDataDirSlashAcme);
    CPPUNIT_TEST(existingWritableDirectoryIsFine);
    CPPUNIT_TEST(missingDirectoryInAWritableParentIsFine);
    CPPUNIT_TEST(missingDataDirIsFineWhenAnAncestorIsWritable);
    CPPUNIT_TEST(symbolicLinkIsRefused);
    CPPUNIT_TEST(fileIsRefused);
    CPPUNIT_TEST(fileOnTheWayIsRefused);
    CPPUNIT_TEST(unwritableDirectoryIsRefused);
    CPPUNIT_TEST(unwritableParentIsRefused);
    CPPUNIT_TEST(groupWritableDirectoryIsRefused);
    CPPUNIT_TEST(someoneElsesDirectoryIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void pathIsDataDirSlashAcme() {
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rport/acme"), acmeStateDir("/var/lib/rport"));
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/rport/acme"), acmeStateDir("/var/lib/rport//"));
        CPPUNIT_ASSERT_EQUAL(std::string("./data/acme"), acmeStateDir("./data"));
        CPPUNIT_ASSERT_EQUAL(std::string("/acme"), acmeStateDir("/"));
    }

    void existingWritableDirectoryIsFine() {
        rport::test::TempDir dir;
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(dir.file("acme").c_str(), 0700));
        CPPUNIT_ASSERT_EQUAL(std::string(), acmeStateDirProblem(dir.path()));
    }

    void missingDirectoryInAWritableParentIsFine() {
        rport::test::TempDir dir;
        CPPUNIT_ASSERT_EQUAL(std::string(), acmeStateDirProblem(dir.path()));
        CPPUNIT_ASSERT_EQUAL(std::string(), acmeStateDirProblem(dir.path() + "/"));
    }

    void missingDataDirIsFineWhenAnAncestorIsWritable() {
        rport::test::TempDir dir;
        // The host creates data_dir and everything below it at start.
        CPPUNIT_ASSERT_EQUAL(std::string(), acmeStateDirProblem(dir.file("not/yet/there")));
    }

    void symbolicLinkIsRefused() {
        rport::test::TempDir dir;
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(dir.file("elsewhere").c_str(), 0700));
        CPPUNIT_ASSERT_EQUAL(0, ::symlink(dir.file("elsewhere").c_str(), dir.file("acme").c_str()));
        const std::string path = dir.file("acme");
        CPPUNIT_ASSERT_EQUAL(
            path +
                " is a symbolic link; the ACME account key and certificate keys are "
                "written only into a real directory: replace the link with a "
                "directory (mkdir -m 700 " +
                path + ")",
            acmeStateDirProblem(dir.path()));
    }

    void fileIsRefused() {
        rport::test::TempDir dir;
        const std::string path = dir.write("acme", "not a directory\n");
        CPPUNIT_ASSERT_EQUAL(path +
                                 " is not a directory: move it out of the way (rportd creates the "
                                 "directory itself)",
                             acmeStateDirProblem(dir.path()));
    }

    void fileOnTheWayIsRefused() {
        rport::test::TempDir dir;
        const std::string file = dir.write("file", "x\n");
        CPPUNIT_ASSERT_EQUAL(file + "/sub/acme cannot be created: " + file +
                                 " is not a directory; set data_dir to a directory",
                             acmeStateDirProblem(file + "/sub"));
    }

    void unwritableDirectoryIsRefused() {
        rport::test::TempDir dir;
        const std::string path = dir.file("acme");
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(path.c_str(), 0500));
        const std::string problem = problemAsUnprivilegedUser(dir.path());
        ::chmod(path.c_str(), 0700);  // so that TempDir can remove it
        const uid_t uid = unprivilegedUid();
        CPPUNIT_ASSERT_EQUAL(path + " is not writable by " + userText(uid) +
                                 ": give that user the directory (chown -R " + userName(uid) + " " +
                                 path + " && chmod 700 " + path + ")",
                             problem);
    }

    void unwritableParentIsRefused() {
        rport::test::TempDir dir;
        const std::string data = dir.file("data");
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(data.c_str(), 0555));
        const std::string problem = problemAsUnprivilegedUser(data);
        ::chmod(data.c_str(), 0755);
        const uid_t uid = unprivilegedUid();
        CPPUNIT_ASSERT_EQUAL(data + "/acme does not exist and " + userText(uid) +
                                 " may not create it in " + data + ": create it (mkdir -p -m 700 " +
                                 data + "/acme && chown " + userName(uid) + " " + data +
                                 "/acme), or set data_dir to a directory that user owns",
                             problem);
    }

    // The host's own rules for a state directory (plugin_host/StateDirectory)
    // are checked here too, so that such a directory fails the config check
    // with advice rather than the provider's start.
    void groupWritableDirectoryIsRefused() {
        rport::test::TempDir dir;
        const std::string path = dir.file("acme");
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(path.c_str(), 0700));
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(path.c_str(), 0770));
        CPPUNIT_ASSERT_EQUAL(path + " is writable by group or others and will hold private keys: "
                                    "chmod 700 " + path,
                             acmeStateDirProblem(dir.path()));
    }

    void someoneElsesDirectoryIsRefused() {
        if (::geteuid() != 0) {  // a directory of another user: only root can make one
            rport::test::skipTest("someoneElsesDirectoryIsRefused needs root");
            return;
        }
        rport::test::TempDir dir;
        ::chmod(dir.path().c_str(), 0755);
        const std::string path = dir.file("acme");
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(path.c_str(), 0700));
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(path.c_str(), 0777));  // writable for nobody, but root's
        const std::string problem = problemAsUnprivilegedUser(dir.path());
        CPPUNIT_ASSERT_EQUAL(path + " belongs to uid 0, not to " + userText(kNobody) +
                                 ", and will hold private keys: give it to that user (chown -R " +
                                 userName(kNobody) + " " + path + " && chmod 700 " + path + ")",
                             problem);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AcmeStateDirTest);

}  // namespace rportd::config::test
