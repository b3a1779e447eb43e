// The file is read into memory whole, so its size is bounded (max_file_bytes,
// default 64 MiB): a larger file is refused with a message saying so, on load,
// on reload (the loaded set stays) and before an API write, and the store
// never writes a file it would refuse to read back.
#include <cppunit/extensions/HelperMacros.h>
#include <unistd.h>

#include "FilePluginHarness.h"

using namespace rport::test::file_plugin;

namespace {

bool contains(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

}  // namespace

class SizeLimitTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SizeLimitTest);
    CPPUNIT_TEST(fileOfExactlyTheLimitLoads);
    CPPUNIT_TEST(oneByteOverTheLimitFailsTheStart);
    CPPUNIT_TEST(defaultLimitIs64MiB);
    CPPUNIT_TEST(fileClaimingToBeEmptyIsReadOnlyUpToTheLimit);
    CPPUNIT_TEST(oversizedEditKeepsTheLoadedSet);
    CPPUNIT_TEST(oversizedFileRefusesWrites);
    CPPUNIT_TEST(writeThatWouldExceedTheLimitIsRefused);
    CPPUNIT_TEST(limitSettingIsChecked);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<FilePluginHarness> h;
    const std::string small = R"({"a": "1"})";  // 10 bytes

    Settings limitedTo(size_t bytes, bool watched = false) const {
        Settings s{{"max_file_bytes", std::to_string(bytes)}, {"check_interval_ms", "0"}};
        if (!watched) s["inotify"] = "false";
        return s;
    }
    std::string tooLarge(size_t bytes) const {
        return "it is larger than the limit of " + std::to_string(bytes) +
               " bytes (max_file_bytes)";
    }

public:
    void setUp() override { h = std::make_unique<FilePluginHarness>(); }
    void tearDown() override { h.reset(); }

    void fileOfExactlyTheLimitLoads() {
        h->writeInPlace(small);
        auto store = h->open(limitedTo(small.size()));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), secretOf(*store, "a"));
    }

    void oneByteOverTheLimitFailsTheStart() {
        h->writeInPlace(small);
        auto e = h->openFailure(limitedTo(small.size() - 1));
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_INVALID), e.code());
        CPPUNIT_ASSERT_MESSAGE(
            e.what(), contains(e.what(), "client auth file \"" + h->path() +
                                             "\": cannot read: " + tooLarge(small.size() - 1)));
    }

    void defaultLimitIs64MiB() {
        h->writeInPlace(small);
        // Sparse: the size is what counts, not the blocks behind it.
        CPPUNIT_ASSERT_EQUAL(0, ::truncate(h->path().c_str(), (off_t{64} << 20) + 1));
        auto e = h->openFailure({{"inotify", "false"}, {"check_interval_ms", "0"}});
        CPPUNIT_ASSERT_MESSAGE(e.what(), contains(e.what(), tooLarge(size_t{64} << 20)));
    }

    // Files in /proc say they are empty and still have content: the bound
    // must hold while reading, not only when checking the size up front.
    void fileClaimingToBeEmptyIsReadOnlyUpToTheLimit() {
        const std::string link = h->dir().file("proc-link.json");
        CPPUNIT_ASSERT_EQUAL(0, ::symlink("/proc/self/status", link.c_str()));
        auto e = h->openFailure({{"path", link},
                                 {"max_file_bytes", "16"},
                                 {"inotify", "false"},
                                 {"check_interval_ms", "0"}});
        CPPUNIT_ASSERT_MESSAGE(e.what(), contains(e.what(), "cannot read: " + tooLarge(16)));
    }

    void oversizedEditKeepsTheLoadedSet() {
        h->writeInPlace(small);
        auto store = h->open(limitedTo(64, true));
        h->replaceByRename(
            R"({"a": "1", "b": "a password long enough to make the file too large"})");
        CPPUNIT_ASSERT(waitUntil([&] {
            return h->logCount(RPORT_LOG_ERROR, "cannot reload: " + tooLarge(64) +
                                                    "; keeping the 1 client credential") == 1;
        }));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), secretOf(*store, "a"));
        CPPUNIT_ASSERT_EQUAL(std::string(), secretOf(*store, "b"));
    }

    void oversizedFileRefusesWrites() {
        h->writeInPlace(small);
        auto store = h->open(limitedTo(64));
        const std::string large =
            R"({"a": "1", "b": "a password long enough to make the file too large"})";
        h->replaceByRename(large);
        auto result = store->add(record("c", "3"));
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), result.code);
        CPPUNIT_ASSERT_MESSAGE(
            result.message,
            contains(result.message, "cannot read it before writing: " + tooLarge(64)));
        CPPUNIT_ASSERT_EQUAL(large, h->fileText());
    }

    void writeThatWouldExceedTheLimitIsRefused() {
        h->writeInPlace(small);
        auto store = h->open(limitedTo(40));
        CPPUNIT_ASSERT(store->add(record("b", "2")).ok());  // {\n\t"a": "1",\n\t"b": "2"\n}\n
        const std::string before = h->fileText();
        auto result = store->add(record("c", "a password too long for the limit"));
        CPPUNIT_ASSERT_EQUAL(int32_t(RPORT_E_UNAVAILABLE), result.code);
        CPPUNIT_ASSERT_MESSAGE(result.message,
                               contains(result.message, "larger than the limit of 40 bytes"));
        CPPUNIT_ASSERT_EQUAL(before, h->fileText());
        CPPUNIT_ASSERT_EQUAL(std::string(), secretOf(*store, "c"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), secretOf(*store, "b"));
    }

    void limitSettingIsChecked() {
        h->writeInPlace(small);
        auto notANumber = h->openFailure({{"max_file_bytes", "64M"}});
        CPPUNIT_ASSERT_MESSAGE(
            notANumber.what(),
            contains(notANumber.what(),
                     "setting 'max_file_bytes' must be a whole number of bytes, got \"64M\""));
        auto zero = h->openFailure({{"max_file_bytes", "0"}});
        CPPUNIT_ASSERT_MESSAGE(
            zero.what(), contains(zero.what(), "setting 'max_file_bytes' must be at least 1"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SizeLimitTest);
