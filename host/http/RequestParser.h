#pragma once
// Incremental HTTP/1.x request parser. Bytes may arrive in any split, down to
// one at a time; the parser keeps a partially received line to itself, so the
// caller never has to keep unconsumed input around except what follows a
// complete request (the next pipelined request).
#include <cstddef>
#include <string>
#include <string_view>

#include "http/HttpRequest.h"

namespace rportd::http {

struct ParserLimits {
    size_t maxHeaderBytes = 16384;   // request line + fields (+ chunked trailers): 431
    size_t maxBodyBytes = 10240;     // beyond: bodyTooLarge, the body is not read
    size_t maxHeaderFields = 100;    // 431
    size_t maxMethodBytes = 32;      // 400
    size_t maxTargetBytes = 8192;    // 414
    size_t maxChunkLineBytes = 1024; // chunk-size line including extensions: 400
};

enum class ParseStatus {
    NeedMore,        // everything offered was consumed; feed more bytes
    Complete,        // request() is ready; the bytes after it were not consumed
    ExpectContinue,  // head of an "Expect: 100-continue" request with an acceptable body
                     // is done; send the interim 100 response, then keep feeding the body
    Failed,          // protocol error: answer errorStatus()/errorTitle() and close
};

class RequestParser {
public:
    explicit RequestParser(const ParserLimits& limits) : _limits(limits) {}

    // Consumes a prefix of [data, data + size) and says why it stopped; the
    // number of bytes taken goes to `consumed`.
    ParseStatus parse(const char* data, size_t size, size_t& consumed);

    HttpRequest& request() { return _request; }
    // Whether the connection may stay open after this request (version and Connection header).
    bool keepAlive() const { return _keepAlive; }
    // Whether any byte of the current request has been consumed.
    bool started() const { return _started; }
    int errorStatus() const { return _errorStatus; }
    const char* errorTitle() const { return _errorTitle; }

    // Forgets the current request so the next can be parsed; keeps the peer
    // address and the strings' capacity.
    void reset();

private:
    enum class State { RequestLine, HeaderLine, Body, ChunkSizeLine, ChunkData, ChunkDataEnd, TrailerLine, Complete, Failed };
    enum class LineResult { Line, Partial, TooLong };

    LineResult takeLine(const char*& p, const char* end, size_t limit, std::string_view& line);
    bool takeHeadLine(const char*& p, const char* end, std::string_view& line, ParseStatus& status);
    ParseStatus fail(int status, const char* title);

    bool checkMethodSoFar(const char*& p, const char* end);
    bool onRequestLine(std::string_view line);
    bool checkVersion(std::string_view version);
    bool setTarget(std::string_view method, std::string_view target);
    bool onHeaderLine(std::string_view line);
    bool onTrailerLine(std::string_view line);
    bool checkTransferCodings(std::string_view list);
    ParseStatus onHeadComplete();
    bool readFraming(bool& chunked, size_t& contentLength);
    ParseStatus onChunkSizeLine(std::string_view line);
    void takeBodyBytes(const char*& p, const char* end);

    ParserLimits _limits;
    HttpRequest _request;
    State _state = State::RequestLine;
    std::string _partialLine;     // a line that has not seen its LF yet
    bool _lineHadCr = false;      // the last line takeLine() returned ended in CRLF, not a bare LF
    size_t _headBytes = 0;        // bytes of request line, fields and trailers so far
    size_t _bodyRemaining = 0;    // of the Content-Length body or of the current chunk
    bool _keepAlive = true;
    bool _started = false;
    int _errorStatus = 0;
    const char* _errorTitle = "";
};

}  // namespace rportd::http
