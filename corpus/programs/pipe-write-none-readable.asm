; write of 100000 bytes starting at an unmapped page: -EFAULT, nothing written
%define FD 1
%define PRE 0
%define K 0
%define LEN 100000
%include "pipe-write.inc"
