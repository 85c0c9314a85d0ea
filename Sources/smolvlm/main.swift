print("smolvlm")
