// The JSON writer must reproduce the Go server's bytes: scripts compare them.
#include <cppunit/extensions/HelperMacros.h>

#include "util/JsonWriter.h"

using rportd::util::JsonWriter;

class JsonWriterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonWriterTest);
    CPPUNIT_TEST(writesCompactNestedStructures);
    CPPUNIT_TEST(escapesLikeGo);
    CPPUNIT_TEST(replacesInvalidUtf8);
    CPPUNIT_TEST(keepsValidMultibyteText);
    CPPUNIT_TEST_SUITE_END();

public:
    void writesCompactNestedStructures() {
        JsonWriter w;
        w.beginObject().key("data").beginArray();
        w.beginObject().key("id").value("a").key("n").value(int64_t(-3)).endObject();
        w.beginObject().key("ok").value(true).key("nil").null().endObject();
        w.endArray().key("meta").beginObject().key("count").value(uint64_t(2)).endObject().endObject();
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"data":[{"id":"a","n":-3},{"ok":true,"nil":null}],"meta":{"count":2}})"),
                             w.str());
    }

    void escapesLikeGo() {
        std::string out;
        JsonWriter::appendEscaped(out, "a\"b\\c\n\t\r<>&/\x01");
        CPPUNIT_ASSERT_EQUAL(std::string(R"("a\"b\\c\n\t\r\u003c\u003e\u0026/\u0001")"), out);
        out.clear();
        JsonWriter::appendEscaped(out, "x\xE2\x80\xA8y\xE2\x80\xA9z");
        CPPUNIT_ASSERT_EQUAL(std::string(R"("x\u2028y\u2029z")"), out);
    }

    void replacesInvalidUtf8() {
        std::string out;
        JsonWriter::appendEscaped(out, "a\xFF" "b\xC0\xAF" "c\xED\xA0\x80");  // stray byte, overlong, surrogate
        CPPUNIT_ASSERT_EQUAL(std::string(R"("a\ufffdb\ufffd\ufffdc\ufffd\ufffd\ufffd")"), out);
    }

    void keepsValidMultibyteText() {
        std::string out;
        JsonWriter::appendEscaped(out, "Gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x94\x91");
        CPPUNIT_ASSERT_EQUAL(std::string("\"Gr\xC3\xBC\xC3\x9F \xE2\x82\xAC \xF0\x9F\x94\x91\""), out);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonWriterTest);
