// Who may have written the plugin files and the directories rportd loads
// them from, and that what gets mapped is exactly the file that was checked.
#include <cppunit/extensions/HelperMacros.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include "Skip.h"
#include "TempDir.h"
#include "plugin_host/PluginFileCheck.h"

using namespace rportd::plugin_host;
using rport::test::TempDir;

namespace {
std::string refusalOf(const std::string& path) { return OpenPluginFile::open(path).refusal(); }
}  // namespace

class PluginFileCheckTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginFileCheckTest);
    CPPUNIT_TEST(testSafeFile);
    CPPUNIT_TEST(testWritableFileRefused);
    CPPUNIT_TEST(testNotARegularFile);
    CPPUNIT_TEST(testFifoRefusedWithoutBlocking);
    CPPUNIT_TEST(testSymlinkRefused);
    CPPUNIT_TEST(testMissingFile);
    CPPUNIT_TEST(testDirectoryModes);
    CPPUNIT_TEST(testWritableAncestorRefused);
    CPPUNIT_TEST(testStickyAncestorAccepted);
    CPPUNIT_TEST(testSwappedFileIsNotWhatGetsMapped);
    CPPUNIT_TEST(testForeignOwnerRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSafeFile() {
        TempDir dir;
        CPPUNIT_ASSERT_EQUAL(std::string(), refusalOf(dir.write("a.so", "x", 0644)));
        CPPUNIT_ASSERT_EQUAL(std::string(), refusalOf(dir.write("b.so", "x", 0755)));
        OpenPluginFile file = OpenPluginFile::open(dir.write("c.so", "x", 0400));
        CPPUNIT_ASSERT(file.accepted());
        CPPUNIT_ASSERT_EQUAL("/proc/self/fd/" + std::to_string(file.descriptor()), file.mapPath());
        CPPUNIT_ASSERT_EQUAL(std::string(), refusePluginDirectory(dir.path()));
    }

    void testWritableFileRefused() {
        TempDir dir;
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 0664)"),
                             refusalOf(dir.write("g.so", "x", 0664)));
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 0646)"),
                             refusalOf(dir.write("o.so", "x", 0646)));
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 0777)"),
                             refusalOf(dir.write("w.so", "x", 0777)));
        CPPUNIT_ASSERT(!OpenPluginFile::open(dir.file("w.so")).accepted());
    }

    void testNotARegularFile() {
        TempDir dir;
        ::mkdir(dir.file("sub.so").c_str(), 0755);
        CPPUNIT_ASSERT_EQUAL(std::string("not a regular file"), refusalOf(dir.file("sub.so")));
        CPPUNIT_ASSERT_EQUAL(std::string("not a directory"),
                             refusePluginDirectory(dir.write("f", "x")));
    }

    void testFifoRefusedWithoutBlocking() {
        TempDir dir;
        CPPUNIT_ASSERT_EQUAL(0, ::mkfifo(dir.file("pipe.so").c_str(), 0644));
        const auto started = std::chrono::steady_clock::now();
        // Nobody writes to the FIFO: a blocking open would never return.
        CPPUNIT_ASSERT_EQUAL(std::string("not a regular file"), refusalOf(dir.file("pipe.so")));
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    }

    void testSymlinkRefused() {
        TempDir dir;
        const std::string real = dir.write("real.so", "x", 0644);
        CPPUNIT_ASSERT_EQUAL(0, ::symlink(real.c_str(), dir.file("link.so").c_str()));
        CPPUNIT_ASSERT_EQUAL(
            std::string("is a symbolic link (plugins are loaded only from the file itself)"),
            refusalOf(dir.file("link.so")));
        CPPUNIT_ASSERT_EQUAL(std::string(), refusalOf(real));
    }

    void testMissingFile() {
        CPPUNIT_ASSERT_EQUAL(std::string("cannot open (No such file or directory)"),
                             refusalOf("/nonexistent/x.so"));
        CPPUNIT_ASSERT_EQUAL(std::string("cannot stat (No such file or directory)"),
                             refusePluginDirectory("/nonexistent"));
    }

    void testDirectoryModes() {
        TempDir dir;
        CPPUNIT_ASSERT_EQUAL(std::string(), refusePluginDirectory(dir.path()));
        ::chmod(dir.path().c_str(), 0775);
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 0775)"),
                             refusePluginDirectory(dir.path()));
        ::chmod(dir.path().c_str(), 0757);
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 0757)"),
                             refusePluginDirectory(dir.path()));
        // Sticky is no excuse for the plugin directory itself: anyone could
        // add a plugin to it.
        ::chmod(dir.path().c_str(), 01777);
        CPPUNIT_ASSERT_EQUAL(std::string("writable by group or others (mode 1777)"),
                             refusePluginDirectory(dir.path()));
        ::chmod(dir.path().c_str(), 0755);
    }

    // Whoever can write to a directory above could move the plugin directory
    // away and put their own in its place.
    void testWritableAncestorRefused() {
        TempDir dir;
        const std::string middle = dir.file("shared");
        const std::string plugins = middle + "/plugins";
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(middle.c_str(), 0755));
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(plugins.c_str(), 0755));
        CPPUNIT_ASSERT_EQUAL(std::string(), refusePluginDirectory(plugins));
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(middle.c_str(), 0775));
        CPPUNIT_ASSERT_EQUAL(
            "parent directory " + middle + ": writable by group or others (mode 0775)",
            refusePluginDirectory(plugins));
        // Reached through a symlink: judged by where it leads.
        CPPUNIT_ASSERT_EQUAL(0, ::symlink(plugins.c_str(), dir.file("via-link").c_str()));
        CPPUNIT_ASSERT_EQUAL(
            "parent directory " + middle + ": writable by group or others (mode 0775)",
            refusePluginDirectory(dir.file("via-link")));
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(middle.c_str(), 0755));
        CPPUNIT_ASSERT_EQUAL(std::string(), refusePluginDirectory(dir.file("via-link")));
    }

    void testStickyAncestorAccepted() {
        TempDir dir;
        const std::string sticky = dir.file("sticky");
        const std::string plugins = sticky + "/plugins";
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(sticky.c_str(), 0755));
        CPPUNIT_ASSERT_EQUAL(0, ::chmod(sticky.c_str(), 01777));
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(plugins.c_str(), 0755));
        CPPUNIT_ASSERT_EQUAL(std::string(), refusePluginDirectory(plugins));
    }

    // The check and the mapping see the same file: renaming another file over
    // the path after the check changes nothing about what the descriptor
    // name leads to.
    void testSwappedFileIsNotWhatGetsMapped() {
        TempDir dir;
        const std::string path = dir.write("p.so", "checked", 0644);
        OpenPluginFile file = OpenPluginFile::open(path);
        CPPUNIT_ASSERT(file.accepted());
        const std::string other = dir.write("other", "swapped in", 0644);
        CPPUNIT_ASSERT_EQUAL(0, ::rename(other.c_str(), path.c_str()));
        CPPUNIT_ASSERT_EQUAL(std::string("swapped in"), rport::test::readFile(path));
        CPPUNIT_ASSERT_EQUAL(std::string("checked"), rport::test::readFile(file.mapPath()));
    }

    void testForeignOwnerRefused() {
        // Only root can hand a file to another uid (CI runs as root).
        if (::geteuid() != 0)
            return rport::test::skipTest("needs root to chown a file to another uid");
        TempDir dir;
        const std::string file = dir.write("theirs.so", "x", 0644);
        CPPUNIT_ASSERT_EQUAL(0, ::chown(file.c_str(), 12345, 12345));
        CPPUNIT_ASSERT_EQUAL(std::string("owned by uid 12345, neither root nor rportd's uid 0"),
                             refusalOf(file));
        const std::string sub = dir.file("theirs");
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir(sub.c_str(), 0755));
        CPPUNIT_ASSERT_EQUAL(0, ::mkdir((sub + "/plugins").c_str(), 0755));
        CPPUNIT_ASSERT_EQUAL(0, ::chown(sub.c_str(), 12345, 12345));
        CPPUNIT_ASSERT_EQUAL(
            "parent directory " + sub + ": owned by uid 12345, neither root nor rportd's uid 0",
            refusePluginDirectory(sub + "/plugins"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginFileCheckTest);
