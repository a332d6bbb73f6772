-- One database per service: each owns its data.
CREATE DATABASE auth;
CREATE DATABASE sync;
CREATE DATABASE actions;
CREATE DATABASE notifications;
CREATE DATABASE web;
