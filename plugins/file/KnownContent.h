#pragma once
// The exact bytes of the file as this process last loaded or wrote it, to tell
// an edit made by someone else from a rewrite of the same bytes (our own
// write, touch, chmod, a broken edit undone).
//
// Kept whole rather than as a hash: an edit whose hash happened to equal the
// loaded version's would be taken for that version, and the next API write
// would silently overwrite the edit. The file is bounded (max_file_bytes), so
// the copy is too.
#include <string>
#include <string_view>

namespace rport::plugins::file_auth {

class KnownContent {
public:
    void remember(std::string text) noexcept { _text = std::move(text); }
    // True only when text is byte for byte what was remembered.
    bool matches(std::string_view text) const noexcept { return text == _text; }

private:
    std::string _text;
};

}  // namespace rport::plugins::file_auth
