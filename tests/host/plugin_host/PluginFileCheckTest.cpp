// Who may have written the plugin files and directories rportd loads.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include "TempDir.h"
#include "plugin_host/PluginFileCheck.h"

using namespace rportd::plugin_host;

class PluginFileCheckTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginFileCheckTest);
    CPPUNIT_TEST(testSafeFile);
    CPPUNIT_TEST(testWritableFileRefused);
    CPPUNIT_TEST(testNotARegularFile);
    CPPUNIT_TEST(testMissingFile);
    CPPUNIT_TEST(testDirectoryModes);
    CPPUNIT_TEST(testForeignOwnerRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSafeFile() {
        rport::test::TempDir dir;
        CPPUNIT_ASSERT_EQUAL(std::string(), refusePluginFile(dir.write("a.so", "x", 0644)));
        CPPUNIT_ASSERT_EQUAL(std::string(), refusePluginFile(dir.write("b.so", "x", 0755)));
        CPPUNIT_ASSERT_EQUAL(std::string(), refusePluginFile(dir.write("c.so", "x", 0400)));
    }

    void testWritableFileRefused() {
        rport::test::TempDir dir;
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 0664)"),
                             refusePluginFile(dir.write("g.so", "x", 0664)));
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 0646)"),
                             refusePluginFile(dir.write("o.so", "x", 0646)));
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 0777)"),
                             refusePluginFile(dir.write("w.so", "x", 0777)));
    }

    void testNotARegularFile() {
        rport::test::TempDir dir;
        ::mkdir(dir.file("sub.so").c_str(), 0755);
        CPPUNIT_ASSERT_EQUAL(std::string("not a regular file"),
                             refusePluginFile(dir.file("sub.so")));
        CPPUNIT_ASSERT_EQUAL(std::string("not a directory"),
                             refusePluginDirectory(dir.write("f", "x")));
    }

    void testMissingFile() {
        CPPUNIT_ASSERT_EQUAL(std::string("cannot stat (No such file or directory)"),
                             refusePluginFile("/nonexistent/x.so"));
    }

    void testDirectoryModes() {
        rport::test::TempDir dir;
        CPPUNIT_ASSERT_EQUAL(std::string(), refusePluginDirectory(dir.path()));
        ::chmod(dir.path().c_str(), 0775);
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 0775)"),
                             refusePluginDirectory(dir.path()));
        ::chmod(dir.path().c_str(), 0757);
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 0757)"),
                             refusePluginDirectory(dir.path()));
        ::chmod(dir.path().c_str(), 0755);
    }

    void testForeignOwnerRefused() {
        if (::geteuid() != 0) return;  // only root can hand a file to someone else
        rport::test::TempDir dir;
        const std::string file = dir.write("theirs.so", "x", 0644);
        CPPUNIT_ASSERT_EQUAL(0, ::chown(file.c_str(), 12345, 12345));
        CPPUNIT_ASSERT_EQUAL(std::string("owned by uid 12345, neither root nor rportd's uid 0"),
                             refusePluginFile(file));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginFileCheckTest);
