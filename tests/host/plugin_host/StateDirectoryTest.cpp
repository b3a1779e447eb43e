// prepareStateDirectory: what state_dir hands a backend, and what it refuses.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include "Skip.h"
#include "TempDir.h"
#include "plugin_host/StateDirectory.h"

using rport::test::TempDir;
using rportd::plugin_host::prepareStateDirectory;

namespace {

unsigned permissionsOf(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 ? unsigned(st.st_mode & 07777) : 0u;
}

}  // namespace

class StateDirectoryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StateDirectoryTest);
    CPPUNIT_TEST(testCreatesMode0700WhateverTheUmask);
    CPPUNIT_TEST(testAcceptsItsOwnExistingDirectory);
    CPPUNIT_TEST(testRefusesASymbolicLink);
    CPPUNIT_TEST(testRefusesAFile);
    CPPUNIT_TEST(testRefusesADirectoryOthersCanWrite);
    CPPUNIT_TEST(testRefusesADirectoryOfAnotherUser);
    CPPUNIT_TEST(testRefusesNamesThatAreNoDirectory);
    CPPUNIT_TEST(testSaysWhyItCannotCreate);
    CPPUNIT_TEST_SUITE_END();

public:
    void testCreatesMode0700WhateverTheUmask() {
        const mode_t previous = ::umask(0);
        std::string why;
        std::optional<std::string> dir = prepareStateDirectory(_data.path() + "/", "acme", why);
        ::umask(previous);
        CPPUNIT_ASSERT_MESSAGE(why, dir);
        CPPUNIT_ASSERT_EQUAL(_data.file("acme"), *dir);  // one slash, not two
        CPPUNIT_ASSERT_EQUAL(0700u, permissionsOf(*dir));
    }

    void testAcceptsItsOwnExistingDirectory() {
        // An operator may have let a backup group read it; that is their call.
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(_data.file("acme").c_str(), 0700));
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(_data.file("acme").c_str(), 0750));
        std::string why;
        CPPUNIT_ASSERT(prepareStateDirectory(_data.path(), "acme", why));
        CPPUNIT_ASSERT_EQUAL(0750u, permissionsOf(_data.file("acme")));
    }

    void testRefusesASymbolicLink() {
        // Even to a perfectly good directory: the link could be repointed.
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(_data.file("real").c_str(), 0700));
        CPPUNIT_ASSERT_EQUAL(0, ::symlink(_data.file("real").c_str(), _data.file("acme").c_str()));
        std::string why;
        CPPUNIT_ASSERT(!prepareStateDirectory(_data.path(), "acme", why));
        CPPUNIT_ASSERT_EQUAL(_data.file("acme") + " is a symbolic link", why);
    }

    void testRefusesAFile() {
        _data.write("acme", "not a directory", 0600);
        std::string why;
        CPPUNIT_ASSERT(!prepareStateDirectory(_data.path(), "acme", why));
        CPPUNIT_ASSERT_EQUAL(_data.file("acme") + " is not a directory", why);
    }

    void testRefusesADirectoryOthersCanWrite() {
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(_data.file("acme").c_str(), 0700));
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(_data.file("acme").c_str(), 0770));
        std::string why;
        CPPUNIT_ASSERT(!prepareStateDirectory(_data.path(), "acme", why));
        CPPUNIT_ASSERT_EQUAL(_data.file("acme") + " is writable by group or others (mode 0770)", why);
    }

    void testRefusesADirectoryOfAnotherUser() {
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(_data.file("acme").c_str(), 0700));
        const uid_t nobody = 65534;
        if (::chown(_data.file("acme").c_str(), nobody, gid_t(-1)) != 0)
            return rport::test::skipTest("giving a directory away needs root");
        std::string why;
        CPPUNIT_ASSERT(!prepareStateDirectory(_data.path(), "acme", why));
        CPPUNIT_ASSERT_EQUAL(_data.file("acme") + " is owned by uid 65534, not rportd's uid " +
                                 std::to_string(::geteuid()),
                             why);
    }

    void testRefusesNamesThatAreNoDirectory() {
        for (const char* name : {"", ".", "..", "a/b"}) {
            std::string why;
            CPPUNIT_ASSERT_MESSAGE(name, !prepareStateDirectory(_data.path(), name, why));
            CPPUNIT_ASSERT_EQUAL(std::string("the backend name \"") + name +
                                     "\" cannot name a directory",
                                 why);
        }
        std::string why;
        CPPUNIT_ASSERT(!prepareStateDirectory("", "acme", why));
        CPPUNIT_ASSERT_EQUAL(std::string("no data_dir is configured"), why);
    }

    void testSaysWhyItCannotCreate() {
        std::string why;
        CPPUNIT_ASSERT(!prepareStateDirectory(_data.file("missing"), "acme", why));
        CPPUNIT_ASSERT_EQUAL("cannot create " + _data.file("missing") +
                                 "/acme: No such file or directory",
                             why);
    }

private:
    TempDir _data;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StateDirectoryTest);
