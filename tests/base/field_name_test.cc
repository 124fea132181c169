#include "base/field_name.h"

#include <string>

#include "base/input_checks.h"
#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

TEST(FieldNameTest, FormatsPlainAndIndexedNames) {
  EXPECT_EQ(FieldName("topic").ToString(), "topic");
  EXPECT_EQ(FieldName(std::string("goal")).ToString(), "goal");
  EXPECT_EQ(FieldName("resources", 2, ".id").ToString(), "resources[2].id");
  EXPECT_EQ(FieldName("duties", 0, "").ToString(), "duties[0]");
  EXPECT_EQ(FieldName("receivers", 1, ".sign_group.person_ids", 10, "").ToString(),
            "receivers[1].sign_group.person_ids[10]");
  EXPECT_EQ(FieldName("a", 3, ".b", 4, ".c").ToString(), "a[3].b[4].c");
}

TEST(FieldNameTest, ChecksNameTheFieldOnlyInTheirErrors) {
  EXPECT_TRUE(CheckId(FieldName("resources", 7, ".id"), "res-7").ok());
  const absl::Status bad = CheckId(FieldName("resources", 7, ".id"), "has space");
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "resources[7].id: id contains a space or control character");
  const absl::Status many = CheckCount(FieldName("receivers", 0, ".sign_group"), 65, 64);
  EXPECT_EQ(many.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(many.message(), "receivers[0].sign_group: 65 entries exceed the limit of 64");
  const absl::Status text = CheckText("comment", "\xC3\x28", 10);
  EXPECT_EQ(text.message(), "comment: text is not valid UTF-8");
}

}  // namespace
}  // namespace collabflow::internal
