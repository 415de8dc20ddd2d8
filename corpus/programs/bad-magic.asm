; magic 7f "ELG": ENOEXEC
%define MAGIC "ELG"
%include "hello-elf.inc"
