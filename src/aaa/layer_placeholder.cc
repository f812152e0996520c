// Placeholder so the aaa layer library exists before its first module lands.
namespace mlppp {}
