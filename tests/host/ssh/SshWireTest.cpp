#include <cppunit/extensions/HelperMacros.h>

#include "ssh/SshWire.h"

using rportd::ssh::WireError;
using rportd::ssh::WireReader;
using rportd::ssh::WireWriter;

class SshWireTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SshWireTest);
    CPPUNIT_TEST(fieldsRoundTrip);
    CPPUNIT_TEST(mpintFollowsRfc4251Examples);
    CPPUNIT_TEST(shortFieldsAreRejected);
    CPPUNIT_TEST(nameListRules);
    CPPUNIT_TEST_SUITE_END();

public:
    void fieldsRoundTrip() {
        WireWriter w;
        w.byte(7)
            .boolean(true)
            .uint32(0xdeadbeef)
            .uint64(0x0102030405060708ull)
            .string("ssh-userauth");
        w.nameList({"aes128-gcm@openssh.com", "none"});
        std::string bytes = w.take();
        WireReader r(bytes);
        CPPUNIT_ASSERT_EQUAL(7, int(r.byte()));
        CPPUNIT_ASSERT(r.boolean());
        CPPUNIT_ASSERT_EQUAL(0xdeadbeefu, r.uint32());
        CPPUNIT_ASSERT_EQUAL(0x0102030405060708ull, static_cast<unsigned long long>(r.uint64()));
        CPPUNIT_ASSERT_EQUAL(std::string("ssh-userauth"), std::string(r.string()));
        auto names = r.nameList();
        CPPUNIT_ASSERT_EQUAL(size_t(2), names.size());
        CPPUNIT_ASSERT_EQUAL(std::string("none"), names[1]);
        CPPUNIT_ASSERT(r.atEnd());
    }

    void mpintFollowsRfc4251Examples() {
        // RFC 4251 §5: 0x80 is encoded as 00 00 00 02 00 80; zero as an empty string.
        CPPUNIT_ASSERT_EQUAL(std::string("\0\0\0\2\0\x80", 6),
                             WireWriter().mpintFromUnsigned("\x80").take());
        CPPUNIT_ASSERT_EQUAL(std::string("\0\0\0\0", 4),
                             WireWriter().mpintFromUnsigned(std::string(3, '\0')).take());
        std::string encoded = WireWriter().mpintFromUnsigned(std::string("\0\x09\xa3", 3)).take();
        CPPUNIT_ASSERT_EQUAL(std::string("\0\0\0\2\x09\xa3", 6), encoded);
        WireReader r(encoded);
        CPPUNIT_ASSERT_EQUAL(std::string("\x09\xa3"), std::string(r.mpintUnsigned()));
        std::string negative("\0\0\0\1\x80", 5);
        WireReader n(negative);
        CPPUNIT_ASSERT_THROW(n.mpintUnsigned(), WireError);
    }

    void shortFieldsAreRejected() {
        std::string lying(
            "\0\0\0\x10"
            "abc",
            7);  // claims 16 bytes, has 3
        WireReader r(lying);
        CPPUNIT_ASSERT_THROW(r.string(), WireError);
        WireReader empty("");
        CPPUNIT_ASSERT_THROW(empty.uint32(), WireError);
        std::string big = WireWriter().string("0123456789").take();
        WireReader limited(big);
        CPPUNIT_ASSERT_THROW(limited.string(4), WireError);
        WireReader trailing(big);
        trailing.uint32();
        CPPUNIT_ASSERT_THROW(trailing.expectEnd("test"), WireError);
    }

    void nameListRules() {
        std::string emptyName = WireWriter().string("a,,b").take();
        WireReader r(emptyName);
        CPPUNIT_ASSERT_THROW(r.nameList(), WireError);
        std::string control = WireWriter().string("a\x01").take();
        WireReader c(control);
        CPPUNIT_ASSERT_THROW(c.nameList(), WireError);
        std::string none = WireWriter().string("").take();
        WireReader e(none);
        CPPUNIT_ASSERT(e.nameList().empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SshWireTest);
