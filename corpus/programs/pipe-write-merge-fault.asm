; after 10 bytes, write of 200 bytes, 100 readable: -EFAULT whether or not the reader emptied the pipe
%define FD 1
%define PRE 10
%define K 100
%define LEN 200
%include "pipe-write.inc"
